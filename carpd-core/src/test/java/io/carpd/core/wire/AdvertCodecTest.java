package io.carpd.core.wire;

import static io.carpd.core.wire.CarpAuthTest.ascii;
import static io.carpd.core.wire.CarpAuthTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding and decoding whole frames: spec §2.7 V1 and a real ucarp capture, IPv4 and IPv6. */
class AdvertCodecTest {

    private static final String CAPTURE = "/vectors/ucarp-vhid42-skew100.pcap";
    private static final byte[] CAPTURE_PASSWORD = ascii("MyCarpPassword2026");

    private final AdvertDecoder decoder = new AdvertDecoder();
    private final ReceivedAdvert out = new ReceivedAdvert();

    // --- V1 ----------------------------------------------------------------------------------------

    @Test
    void encodesV1BitForBit() throws Exception {
        byte[] frame = new byte[100];
        int length = new AdvertEncoder(() -> 0).encode(frame, new Advertisement(1, 1, 0, 0, Frames.V1_COUNTER), Frames.v1Auth(),
                Family.INET, Frames.VMAC_1, AdvertEncoder.multicastMac(Family.INET), Frames.v1Source(), AdvertEncoder.group(Family.INET));

        assertThat(length).isEqualTo(70);
        assertThat(Hex.of(frame, Frames.CARP4 + 6, 2)).isEqualTo("f261");
        assertThat(Hex.of(frame, Frames.IP, 20)).isEqualTo("45100038000040 00ff70d988c0a80102e0000012".replace(" ", ""));
        assertThat(Arrays.copyOf(frame, length)).isEqualTo(Frames.V1_FRAME);
    }

    @Test
    void decodesV1AndReencodesItIdentically() throws Exception {
        CarpAuth auth = Frames.v1Auth();
        assertThat(decoder.decode(Frames.V1_FRAME, Frames.V1_FRAME.length, new Vhids().with(auth), out)).isNull();
        assertThat(out.family()).isEqualTo(Family.INET);
        assertThat(out.sourceAddress()).isEqualTo(Frames.v1Source());
        assertThat(out.destinationIsMulticast()).isTrue();
        assertThat(out.toAdvertisement()).isEqualTo(new Advertisement(1, 1, 0, 0, Frames.V1_COUNTER));

        assertThat(reencode(Frames.V1_FRAME, auth, 0)).isEqualTo(Frames.V1_FRAME);
    }

    // --- the ucarp capture -------------------------------------------------------------------------

    @Test
    void acceptsTheUcarpCapture() throws Exception {
        byte[] frame = captured();
        CarpAuth auth = CarpAuth.of(CAPTURE_PASSWORD, 42, List.of(ip("192.0.2.254")));

        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isNull();
        assertThat(out.vhid()).isEqualTo(42);
        assertThat(out.advbase()).isEqualTo(1);
        assertThat(out.advskew()).isEqualTo(100);
        assertThat(out.demote()).isZero();
        assertThat(out.sourceAddress()).isEqualTo(ip("10.201.0.1"));
        assertThat(out.destinationIsMulticast()).isTrue();
        assertThat(out.counter()).isEqualTo(Long.parseUnsignedLong(Hex.of(frame, Frames.CARP4 + 8, 8), 16));
    }

    @Test
    void reencodesTheUcarpCaptureIdentically() throws Exception {
        byte[] frame = captured();
        CarpAuth auth = CarpAuth.of(CAPTURE_PASSWORD, 42, List.of(ip("192.0.2.254")));
        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isNull();
        int ipId = ((frame[Frames.IP + 4] & 0xff) << 8) | (frame[Frames.IP + 5] & 0xff);
        assertThat(reencode(frame, auth, ipId)).isEqualTo(frame);
    }

    @Test
    void rejectsTheCaptureWithAWrongPassword() throws Exception {
        byte[] frame = captured();
        CarpAuth auth = CarpAuth.of(ascii("MyCarpPassword2025"), 42, List.of(ip("192.0.2.254")));
        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isEqualTo(DropReason.BAD_HMAC);
    }

    @Test
    void rejectsTheCaptureWhenVhid42IsNotConfigured() throws Exception {
        byte[] frame = captured();
        CarpAuth auth = CarpAuth.of(CAPTURE_PASSWORD, 41, List.of(ip("192.0.2.254")));
        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isEqualTo(DropReason.UNKNOWN_VHID);
        assertThat(out.vhid()).isEqualTo(42);
    }

    @Test
    void rejectsTheCaptureWithADifferentAddressList() throws Exception {
        byte[] frame = captured();
        for (List<InetAddress> addresses : List.of(
                List.of(ip("192.0.2.253")),
                List.of(ip("192.0.2.254"), ip("192.0.2.253")),
                List.of(ip("192.0.2.254"), ip("2001:db8::254")))) {
            CarpAuth auth = CarpAuth.of(CAPTURE_PASSWORD, 42, addresses);
            assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).as("%s", addresses).isEqualTo(DropReason.BAD_HMAC);
        }
    }

    // --- IPv6 and unicast --------------------------------------------------------------------------

    @Test
    void ipv6FrameHasTheSpecifiedHeaderAndRoundTrips() throws Exception {
        CarpAuth auth = Frames.v1Auth();
        byte[] frame = Frames.v6Frame(auth);

        assertThat(Hex.of(frame, 0, 14)).isEqualTo("333300000012" + "00005e000101" + "86dd");
        assertThat(Hex.of(frame, Frames.IP, 8)).isEqualTo("60000000" + "0024" + "70" + "ff");
        assertThat(Hex.of(frame, Frames.IP + 24, 16)).isEqualTo("ff020000000000000000000000000012");
        assertThat(InternetChecksum.of(frame, Frames.CARP6, 36)).isZero();
        // the CARP bytes do not depend on the family: same as V1's
        assertThat(Arrays.copyOfRange(frame, Frames.CARP6, Frames.CARP6 + 36))
                .isEqualTo(Arrays.copyOfRange(Frames.V1_FRAME, Frames.CARP4, Frames.CARP4 + 36));

        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isNull();
        assertThat(out.family()).isEqualTo(Family.INET6);
        assertThat(out.sourceAddress()).isEqualTo(ip("fe80::2"));
        assertThat(reencode(frame, auth, 0)).isEqualTo(frame);
    }

    @Test
    void unicastPeerDestination() throws Exception {
        CarpAuth auth = Frames.v1Auth();
        byte[] peerMac = Hex.bytes("020000000002");
        byte[] frame = new byte[70];
        new AdvertEncoder().encode(frame, new Advertisement(1, 1, 50, 3, 77), auth, Family.INET,
                Frames.VMAC_1, peerMac, ip("198.51.100.1"), ip("198.51.100.2"));

        assertThat(Hex.of(frame, Frames.IP + 16, 4)).isEqualTo("c6336402");
        assertThat(decoder.decode(frame, frame.length, new Vhids().with(auth), out)).isNull();
        assertThat(out.destinationIsMulticast()).isFalse();
        assertThat(out.toAdvertisement()).isEqualTo(new Advertisement(1, 1, 50, 3, 77));
    }

    @Test
    void randomIpIdentificationStillDecodes() throws Exception {
        CarpAuth auth = Frames.v1Auth();
        AdvertEncoder encoder = new AdvertEncoder();
        byte[] frame = new byte[70];
        for (int i = 0; i < 20; i++) {
            encoder.encode(frame, new Advertisement(1, 1, 0, 0, i), auth, Family.INET, Frames.VMAC_1,
                    AdvertEncoder.multicastMac(Family.INET), Frames.v1Source(), AdvertEncoder.group(Family.INET));
            assertThat(decoder.decode(frame, 70, new Vhids().with(auth), out)).isNull();
            assertThat(out.counter()).isEqualTo(i);
        }
    }

    @Test
    void groupsAndMulticastMacs() throws Exception {
        assertThat(AdvertEncoder.group(Family.INET)).isEqualTo(ip("224.0.0.18"));
        assertThat(AdvertEncoder.group(Family.INET6)).isEqualTo(ip("ff02::12"));
        assertThat(AdvertEncoder.multicastMac(Family.INET)).isEqualTo(Hex.bytes("01005e000012"));
        assertThat(AdvertEncoder.multicastMac(Family.INET6)).isEqualTo(Hex.bytes("333300000012"));
        AdvertEncoder.multicastMac(Family.INET)[0] = 0x7f;
        assertThat(AdvertEncoder.multicastMac(Family.INET)[0]).as("callers get a copy").isEqualTo((byte) 1);
    }

    @Test
    void encoderRejectsMismatchedArguments() throws Exception {
        CarpAuth auth = Frames.v1Auth();
        AdvertEncoder encoder = new AdvertEncoder();
        byte[] mac = AdvertEncoder.multicastMac(Family.INET);
        InetAddress group = AdvertEncoder.group(Family.INET);
        assertThatThrownBy(() -> encoder.encode(new byte[70], new Advertisement(2, 1, 0, 0, 0), auth, Family.INET, mac, mac, Frames.v1Source(), group))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vhid 1").hasMessageContaining("vhid 2");
        assertThatThrownBy(() -> encoder.encode(new byte[90], new Advertisement(1, 1, 0, 0, 0), auth, Family.INET6, mac, mac, Frames.v1Source(), group))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INET6");
        assertThatThrownBy(() -> encoder.encode(new byte[69], new Advertisement(1, 1, 0, 0, 0), auth, Family.INET, mac, mac, Frames.v1Source(), group))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("69");
        assertThatThrownBy(() -> encoder.encode(new byte[70], new Advertisement(1, 1, 0, 0, 0), auth, Family.INET, new byte[5], mac, Frames.v1Source(), group))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAC").hasMessageContaining("source has 5");
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** Encodes what the decoder just read into {@code out}, with the frame's own MACs and addresses. */
    private byte[] reencode(byte[] frame, CarpAuth auth, int ipId) throws Exception {
        Family family = out.family();
        int dstOffset = family == Family.INET ? Frames.IP + 16 : Frames.IP + 24;
        InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(frame, dstOffset, dstOffset + (family == Family.INET ? 4 : 16)));
        byte[] again = new byte[frame.length];
        int length = new AdvertEncoder(() -> ipId).encode(again, out.toAdvertisement(), auth, family,
                Arrays.copyOfRange(frame, 6, 12), Arrays.copyOfRange(frame, 0, 6), out.sourceAddress(), dst);
        return Arrays.copyOf(again, length);
    }

    private static byte[] captured() throws Exception {
        List<byte[]> frames = PcapFile.frames(CAPTURE);
        assertThat(frames).hasSize(1);
        return frames.getFirst();
    }
}
