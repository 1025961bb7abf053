package io.carpd.core.wire;

import static io.carpd.core.wire.CarpAuthTest.ascii;
import static io.carpd.core.wire.CarpAuthTest.ip;

import java.net.InetAddress;
import java.util.List;

/** Known-good frames and the surgery tests do on them (offsets of an untagged Ethernet frame). */
final class Frames {

    static final int IP = 14;
    static final int CARP4 = IP + 20;
    static final int CARP6 = IP + 40;

    static final byte[] VMAC_1 = Hex.bytes("00005e000101");

    /** Spec §2.7 V1 as a whole frame: Ethernet + the spec's IPv4 header + the spec's 36 CARP bytes. */
    static final byte[] V1_FRAME = Hex.bytes(
            "01005e000012 00005e000101 0800"
            + "45 10 00 38 00 00 40 00 ff 70 d9 88 c0 a8 01 02 e0 00 00 12"
            + "21 01 00 07 00 01 f2 61 01 23 45 67 89 ab cd ef"
            + "30 25 12 fb 82 c4 5c 1c c0 ab f1 f8 f0 0f 35 90 ed 38 66 f0");
    static final long V1_COUNTER = 0x0123456789abcdefL;

    private Frames() {
    }

    static CarpAuth v1Auth() throws Exception {
        return CarpAuth.of(ascii("secret"), 1, List.of(ip("192.168.1.10")));
    }

    /** A valid IPv6 advert for V1's virtual host (vhid 1), from fe80::2 to ff02::12. */
    static byte[] v6Frame(CarpAuth auth) throws Exception {
        byte[] frame = new byte[AdvertEncoder.FRAME_LENGTH_INET6];
        new AdvertEncoder().encode(frame, new Advertisement(auth.vhid(), 1, 0, 0, V1_COUNTER), auth, Family.INET6,
                VMAC_1, AdvertEncoder.multicastMac(Family.INET6), ip("fe80::2"), AdvertEncoder.group(Family.INET6));
        return frame;
    }

    static void fixIpv4Checksum(byte[] frame) {
        put16(frame, IP + 10, 0);
        put16(frame, IP + 10, InternetChecksum.of(frame, IP, 20));
    }

    static void fixCarpChecksum(byte[] frame, int carp) {
        put16(frame, carp + 6, 0);
        put16(frame, carp + 6, InternetChecksum.of(frame, carp, 36));
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static InetAddress v1Source() throws Exception {
        return ip("192.168.1.2");
    }
}
