package io.carpd.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * VRRP shares protocol 112, the first byte 0x21 (VRRPv2) and the MAC block with CARP (spec §7.1);
 * §9: only a 36-byte payload with byte 0 = 0x21 and authlen 7 is CARP. VRRP routers send TTL 255
 * and valid VRRP checksums, and their VRID here equals a configured vhid, so nothing but the
 * classification can stop them before the HMAC.
 */
class VrrpClassificationTest {

    private final AdvertDecoder decoder = new AdvertDecoder();
    private final ReceivedAdvert out = new ReceivedAdvert();

    @Test
    void vrrpV2WithOneAddressAndSimpleAuth() throws Exception {
        assertThat(decode(vrrpV2(1))).isEqualTo(DropReason.NOT_CARP);
    }

    @Test
    void vrrpV2WithFiveAddressesIsExactlyThirtySixBytes() throws Exception {
        byte[] frame = vrrpV2(5);
        assertThat(frame.length - Frames.CARP4).isEqualTo(36);
        assertThat(frame[Frames.CARP4]).isEqualTo((byte) 0x21);
        assertThat(decode(frame)).isEqualTo(DropReason.NOT_CARP);
    }

    @Test
    void vrrpV2WithSevenAddresses() throws Exception {
        byte[] frame = vrrpV2(7); // authlen-position byte is 7, but 44 bytes long
        assertThat(decode(frame)).isEqualTo(DropReason.NOT_CARP);
    }

    @Test
    void vrrpV3WithSevenIpv4AddressesIsThirtySixBytesWithSevenInByteThree() throws Exception {
        byte[] frame = vrrpV3(7);
        assertThat(frame.length - Frames.CARP4).isEqualTo(36);
        assertThat(frame[Frames.CARP4 + 3]).isEqualTo((byte) 7);
        assertThat(decode(frame)).isEqualTo(DropReason.NOT_CARP);
    }

    @Test
    void vrrpV3WithOneAddress() throws Exception {
        assertThat(decode(vrrpV3(1))).isEqualTo(DropReason.NOT_CARP);
    }

    private DropReason decode(byte[] frame) throws Exception {
        return decoder.decode(frame, frame.length, new Vhids().with(Frames.v1Auth()), out);
    }

    /** RFC 3768: ver/type 0x21, VRID 1, prio 100, count, auth type 1, adver 1, checksum, addrs, 8 auth bytes. */
    private static byte[] vrrpV2(int count) {
        int payload = 8 + 4 * count + 8;
        byte[] f = ipv4Frame(payload);
        int v = Frames.CARP4;
        f[v] = 0x21;
        f[v + 1] = 1;
        f[v + 2] = 100;
        f[v + 3] = (byte) count;
        f[v + 4] = 1;
        f[v + 5] = 1;
        for (int i = 0; i < count; i++) {
            f[v + 8 + 4 * i] = (byte) 192;
            f[v + 9 + 4 * i] = (byte) 168;
            f[v + 10 + 4 * i] = 1;
            f[v + 11 + 4 * i] = (byte) (10 + i);
        }
        System.arraycopy("password".getBytes(), 0, f, v + 8 + 4 * count, 8);
        Frames.put16(f, v + 6, InternetChecksum.of(f, v, payload));
        return f;
    }

    /** RFC 5798 IPv4: ver/type 0x31, VRID 1, prio 100, count, rsvd/max adver int 100 cs, checksum (with pseudo-header), addrs. */
    private static byte[] vrrpV3(int count) {
        int payload = 8 + 4 * count;
        byte[] f = ipv4Frame(payload);
        int v = Frames.CARP4;
        f[v] = 0x31;
        f[v + 1] = 1;
        f[v + 2] = 100;
        f[v + 3] = (byte) count;
        Frames.put16(f, v + 4, 100);
        for (int i = 0; i < count; i++) {
            f[v + 8 + 4 * i] = (byte) 192;
            f[v + 9 + 4 * i] = (byte) 168;
            f[v + 10 + 4 * i] = 1;
            f[v + 11 + 4 * i] = (byte) (10 + i);
        }
        byte[] pseudo = new byte[12 + payload];
        System.arraycopy(f, Frames.IP + 12, pseudo, 0, 8);
        pseudo[9] = 112;
        Frames.put16(pseudo, 10, payload);
        System.arraycopy(f, v, pseudo, 12, payload);
        Frames.put16(f, v + 6, InternetChecksum.of(pseudo, 0, pseudo.length));
        return f;
    }

    private static byte[] ipv4Frame(int payload) {
        byte[] f = new byte[Frames.CARP4 + payload];
        System.arraycopy(Hex.bytes("01005e000012 00005e000101 0800"), 0, f, 0, 14);
        System.arraycopy(Hex.bytes("45c00000 00000000 ff700000 c0a80102 e0000012"), 0, f, Frames.IP, 20);
        Frames.put16(f, Frames.IP + 2, 20 + payload);
        Frames.fixIpv4Checksum(f);
        return f;
    }
}
