package io.carpd.core.wire;

import static io.carpd.core.wire.CarpAuthTest.ascii;
import static io.carpd.core.wire.CarpAuthTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Every drop reason from a frame that is valid except for that one fault; several faults → the first check. */
class DropReasonTest {

    private final AdvertDecoder decoder = new AdvertDecoder();
    private final ReceivedAdvert out = new ReceivedAdvert();

    @Test
    void theUntouchedFramesAreValid() throws Exception {
        assertThat(decode(Frames.V1_FRAME.clone(), table())).isNull();
        assertThat(decode(Frames.v6Frame(Frames.v1Auth()), table())).isNull();
    }

    @ParameterizedTest
    @EnumSource(DropReason.class)
    void eachReasonHasAFrameThatTriggersIt(DropReason reason) throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        int length = f.length;
        Vhids table = table();
        switch (reason) {
            case TRUNCATED_ETHERNET -> length = 13;
            case UNKNOWN_ETHERTYPE -> Frames.put16(f, 12, 0x0806);
            case TRUNCATED_IP_HEADER -> length = Frames.IP + 19;
            case BAD_IP_HEADER -> f[Frames.IP] = 0x44; // IHL 4
            case IP_OPTIONS -> f[Frames.IP] = 0x46;
            case BAD_IP_CHECKSUM -> f[Frames.IP + 11] ^= 1;
            case FRAGMENTED -> {
                f[Frames.IP + 6] = 0x20; // MF, offset 0
                Frames.fixIpv4Checksum(f);
            }
            case WRONG_PROTOCOL -> {
                f[Frames.IP + 9] = 17;
                Frames.fixIpv4Checksum(f);
            }
            case BAD_TTL -> {
                f[Frames.IP + 8] = (byte) 254;
                Frames.fixIpv4Checksum(f);
            }
            case NOT_CARP -> f[Frames.CARP4 + 3] = 5; // authlen: VRRPv2's address count
            case TOO_SHORT -> length = 69;
            case BAD_CHECKSUM -> f[Frames.CARP4 + 7] ^= 1;
            case UNKNOWN_VHID -> table = new Vhids();
            case BAD_HMAC -> {
                f[Frames.CARP4 + 35] ^= 1;
                Frames.fixCarpChecksum(f, Frames.CARP4);
            }
            case OWN_PACKET -> table.sent(Frames.V1_COUNTER);
        }
        assertThat(decoder.decode(f, length, table, out)).isEqualTo(reason);
        assertThat(reason.label()).isEqualTo(reason.name().toLowerCase());
    }

    @Test
    void ipHeaderFaultsOfEachKind() throws Exception {
        byte[] v4inV6Type = Frames.V1_FRAME.clone();
        Frames.put16(v4inV6Type, 12, 0x86dd);
        byte[] pad = Arrays.copyOf(v4inV6Type, 90); // long enough for an IPv6 header
        assertThat(decode(pad, table())).isEqualTo(DropReason.BAD_IP_HEADER);

        byte[] v6inV4Type = Frames.V1_FRAME.clone();
        v6inV4Type[Frames.IP] = 0x65;
        assertThat(decode(v6inV4Type, table())).isEqualTo(DropReason.BAD_IP_HEADER);

        byte[] shortTotal = Frames.V1_FRAME.clone();
        Frames.put16(shortTotal, Frames.IP + 2, 19);
        Frames.fixIpv4Checksum(shortTotal);
        assertThat(decode(shortTotal, table())).isEqualTo(DropReason.BAD_IP_HEADER);

        byte[] fragmentOffset = Frames.V1_FRAME.clone();
        Frames.put16(fragmentOffset, Frames.IP + 6, 0x4001);
        Frames.fixIpv4Checksum(fragmentOffset);
        assertThat(decode(fragmentOffset, table())).isEqualTo(DropReason.FRAGMENTED);
    }

    @Test
    void ipv6Faults() throws Exception {
        byte[] good = Frames.v6Frame(Frames.v1Auth());

        assertThat(decoder.decode(good, Frames.IP + 39, table(), out)).isEqualTo(DropReason.TRUNCATED_IP_HEADER);

        byte[] hopByHop = good.clone();
        hopByHop[Frames.IP + 6] = 0; // an extension header in front of CARP
        assertThat(decode(hopByHop, table())).isEqualTo(DropReason.WRONG_PROTOCOL);

        byte[] hopLimit = good.clone();
        hopLimit[Frames.IP + 7] = 1;
        assertThat(decode(hopLimit, table())).isEqualTo(DropReason.BAD_TTL);
        assertThat(out.family()).as("IP part is filled for the log").isEqualTo(Family.INET6);
        assertThat(out.sourceAddress()).isEqualTo(ip("fe80::2"));

        byte[] longer = Arrays.copyOf(good, 91);
        Frames.put16(longer, Frames.IP + 4, 37);
        assertThat(decode(longer, table())).isEqualTo(DropReason.NOT_CARP);

        assertThat(decoder.decode(good, 89, table(), out)).isEqualTo(DropReason.TOO_SHORT);

        byte[] checksum = good.clone();
        checksum[Frames.CARP6 + 6] ^= (byte) 0x80;
        assertThat(decode(checksum, table())).isEqualTo(DropReason.BAD_CHECKSUM);
    }

    @Test
    void vhidZeroIsNeverLookedUp() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.CARP4 + 1] = 0;
        Frames.fixCarpChecksum(f, Frames.CARP4);
        VhidTable answersEverything = new VhidTable() {
            @Override
            public CarpAuth auth(int vhid) {
                throw new AssertionError("looked up vhid " + vhid);
            }

            @Override
            public boolean isOwnCounter(int vhid, long counter) {
                return false;
            }
        };
        assertThat(decoder.decode(f, f.length, answersEverything, out)).isEqualTo(DropReason.UNKNOWN_VHID);
    }

    @Test
    void wrongPasswordIsBadHmac() throws Exception {
        CarpAuth other = CarpAuth.of(ascii("secreT"), 1, List.of(ip("192.168.1.10")));
        assertThat(decode(Frames.V1_FRAME.clone(), new Vhids().with(other))).isEqualTo(DropReason.BAD_HMAC);
    }

    @Test
    void trailingBytesAfterTheIpPacketAreIgnored() throws Exception {
        byte[] padded = Arrays.copyOf(Frames.V1_FRAME, 80); // e.g. an FCS or padding kept by the capture
        assertThat(decode(padded, table())).isNull();
    }

    // --- several faults: the first check in §9 order wins -----------------------------------------

    @Test
    void badTtlBeatsEverythingAfterIt() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.IP + 8] = 64;
        Frames.fixIpv4Checksum(f);
        f[Frames.CARP4 + 3] = 5;                  // not CARP
        f[Frames.CARP4 + 7] ^= 1;                 // bad checksum
        f[Frames.CARP4 + 1] = 99;                 // unknown vhid
        assertThat(decode(f, table())).isEqualTo(DropReason.BAD_TTL);
    }

    @Test
    void notCarpBeatsChecksum() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.CARP4] = 0x31;
        assertThat(decode(f, table())).isEqualTo(DropReason.NOT_CARP);
    }

    @Test
    void checksumBeatsVhidLookup() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.CARP4 + 1] = 99;
        assertThat(decode(f, table())).isEqualTo(DropReason.BAD_CHECKSUM);
        assertThat(out.vhid()).as("CARP fields stay clear before the checksum passed").isZero();
    }

    @Test
    void unknownVhidBeatsHmac() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.CARP4 + 1] = 99;
        f[Frames.CARP4 + 20] ^= 1;
        Frames.fixCarpChecksum(f, Frames.CARP4);
        assertThat(decode(f, table())).isEqualTo(DropReason.UNKNOWN_VHID);
    }

    @Test
    void hmacBeatsOwnPacket() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.CARP4 + 20] ^= 1;
        Frames.fixCarpChecksum(f, Frames.CARP4);
        assertThat(decode(f, table().sent(Frames.V1_COUNTER))).isEqualTo(DropReason.BAD_HMAC);
        assertThat(out.sourceAddress()).isEqualTo(Frames.v1Source());
        assertThat(out.vhid()).isEqualTo(1);
    }

    @Test
    void ipChecksumBeatsTtlAndProtocol() throws Exception {
        byte[] f = Frames.V1_FRAME.clone();
        f[Frames.IP + 8] = 1;  // TTL, without fixing the header checksum
        assertThat(decode(f, table())).isEqualTo(DropReason.BAD_IP_CHECKSUM);
    }

    private DropReason decode(byte[] frame, VhidTable table) {
        return decoder.decode(frame, frame.length, table, out);
    }

    private static Vhids table() throws Exception {
        return new Vhids().with(Frames.v1Auth());
    }
}
