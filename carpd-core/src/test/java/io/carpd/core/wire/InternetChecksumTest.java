package io.carpd.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    @Test
    void rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with end-around carry).
        assertThat(InternetChecksum.of(Hex.bytes("0001f203f4f5f6f7"), 0, 8)).isEqualTo(~0xddf2 & 0xffff);
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        assertThat(InternetChecksum.of(Hex.bytes("0001f203f4f5f6f7ab"), 0, 9))
                .isEqualTo(InternetChecksum.of(Hex.bytes("0001f203f4f5f6f7ab00"), 0, 10));
    }

    @Test
    void respectsOffsetAndVerifiesToZero() {
        byte[] carp = Hex.bytes("ffff" + "21010007000100000123456789abcdef302512fb82c45c1cc0abf1f8f00f3590ed3866f0");
        int sum = InternetChecksum.of(carp, 2, 36);
        assertThat(sum).isEqualTo(0xf261); // spec §2.7 V1
        carp[8] = (byte) (sum >>> 8);
        carp[9] = (byte) sum;
        assertThat(InternetChecksum.of(carp, 2, 36)).isZero();
    }
}
