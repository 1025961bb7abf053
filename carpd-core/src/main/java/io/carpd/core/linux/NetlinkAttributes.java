package io.carpd.core.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Attributes of one netlink message (or of one nested attribute), by type; last occurrence wins. */
public final class NetlinkAttributes {
    private final Map<Integer, ByteBuffer> values = new HashMap<>();

    private NetlinkAttributes() {
    }

    /** Parses the 4-byte aligned attributes in {@code buf} from {@code offset} to its limit. */
    public static NetlinkAttributes parse(ByteBuffer buf, int offset) {
        NetlinkAttributes attrs = new NetlinkAttributes();
        int pos = offset;
        while (pos + 4 <= buf.limit()) {
            int len = Short.toUnsignedInt(buf.getShort(pos));
            int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & NetlinkRequest.NLA_TYPE_MASK;
            if (len < 4 || pos + len > buf.limit()) {
                break;
            }
            attrs.values.put(type, buf.slice(pos + 4, len - 4).order(ByteOrder.nativeOrder()));
            pos += (len + 3) & ~3;
        }
        return attrs;
    }

    public boolean has(int type) {
        return values.containsKey(type);
    }

    public byte[] bytes(int type) {
        ByteBuffer b = values.get(type);
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The attribute as u32, or {@code fallback} when absent or too short. */
    public int u32(int type, int fallback) {
        ByteBuffer b = values.get(type);
        return b == null || b.remaining() < 4 ? fallback : b.getInt(0);
    }

    /** A NUL-terminated string attribute, without the NUL; null when absent. */
    public String string(int type) {
        byte[] b = bytes(type);
        if (b == null) {
            return null;
        }
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    public NetlinkAttributes nested(int type) {
        ByteBuffer b = values.get(type);
        return b == null ? new NetlinkAttributes() : parse(b, 0);
    }
}
