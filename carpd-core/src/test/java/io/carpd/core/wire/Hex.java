package io.carpd.core.wire;

import java.util.HexFormat;

/** Hex literals in tests, tolerant of spaces and '|' separators as written in the spec. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    static String of(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }
}
