package io.carpd.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames against the decoder: it must never throw, every accepted frame must
 * really be a correctly signed advert, and the mutations must reach every drop reason (else the
 * fuzzer is too weak to mean anything). Seeded, so a failure replays.
 */
class DecoderFuzzTest {

    private static final long SEED = 0xCA2B_2026L;
    private static final int ROUNDS = 300_000;
    private static final long OWN_COUNTER = 0x1111_2222_3333_4444L;

    @Test
    void neverThrowsAndAcceptsOnlyGenuineAdverts() throws Exception {
        CarpAuth v1 = Frames.v1Auth();
        CarpAuth ucarp = CarpAuth.of(CarpAuthTest.ascii("MyCarpPassword2026"), 42, List.of(CarpAuthTest.ip("192.0.2.254")));
        Vhids table = new Vhids().with(v1).with(ucarp).sent(OWN_COUNTER);
        byte[] own = new byte[90];
        new AdvertEncoder().encode(own, new Advertisement(1, 1, 0, 0, OWN_COUNTER), v1, Family.INET6, Frames.VMAC_1,
                AdvertEncoder.multicastMac(Family.INET6), CarpAuthTest.ip("fe80::1"), AdvertEncoder.group(Family.INET6));
        List<byte[]> seeds = List.of(Frames.V1_FRAME, Frames.v6Frame(v1), PcapFile.frames("/vectors/ucarp-vhid42-skew100.pcap").getFirst(), own);

        Random random = new Random(SEED);
        AdvertDecoder decoder = new AdvertDecoder();
        ReceivedAdvert out = new ReceivedAdvert();
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        int accepted = 0;
        byte[] buffer = new byte[256];

        for (int round = 0; round < ROUNDS; round++) {
            int length = round % 4 == 0 ? randomFrame(random, buffer) : mutate(random, seeds.get(random.nextInt(seeds.size())), buffer);
            byte[] frame = Arrays.copyOf(buffer, buffer.length);
            DropReason reason;
            try {
                reason = decoder.decode(frame, length, table, out);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " (seed " + SEED + "): " + Hex.of(frame, 0, length), e);
            }
            if (reason == null) {
                accepted++;
                assertGenuine(frame, out, table);
            } else {
                seen.add(reason);
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(DropReason.class));
        assertThat(accepted).isPositive();
    }

    /** An accepted frame's CARP bytes must be exactly what we would sign for the decoded fields. */
    private static void assertGenuine(byte[] frame, ReceivedAdvert out, VhidTable table) {
        int carp = out.family() == Family.INET ? Frames.CARP4 : Frames.CARP6;
        byte[] expected = new byte[AdvertEncoder.FRAME_LENGTH_INET6];
        try {
            InetAddress group = AdvertEncoder.group(out.family());
            int n = new AdvertEncoder(() -> 0).encode(expected, out.toAdvertisement(), table.auth(out.vhid()), out.family(),
                    Frames.VMAC_1, Frames.VMAC_1, out.sourceAddress(), group);
            assertThat(Arrays.copyOfRange(frame, carp, carp + 36)).isEqualTo(Arrays.copyOfRange(expected, n - 36, n));
        } catch (RuntimeException e) {
            fail("accepted frame does not re-encode: " + Hex.of(frame, 0, carp + 36), e);
        }
    }

    private static int randomFrame(Random random, byte[] buffer) {
        int length = random.nextInt(130);
        Arrays.fill(buffer, (byte) 0);
        for (int i = 0; i < length; i++) buffer[i] = (byte) random.nextInt();
        if (length >= 15 && random.nextBoolean()) {
            boolean v4 = random.nextBoolean();
            Frames.put16(buffer, 12, v4 ? 0x0800 : 0x86dd);
            buffer[14] = (byte) (v4 ? 0x45 : 0x60);
            if (v4 && length >= 34) {
                buffer[Frames.IP + 8] = (byte) 255;
                buffer[Frames.IP + 9] = 112;
                if (random.nextBoolean()) Frames.put16(buffer, Frames.IP + 2, 56);
                Frames.fixIpv4Checksum(buffer);
            } else if (!v4 && length >= 54) {
                buffer[Frames.IP + 6] = 112;
                buffer[Frames.IP + 7] = (byte) 255;
                if (random.nextBoolean()) Frames.put16(buffer, Frames.IP + 4, 36);
            }
        }
        return length;
    }

    private static int mutate(Random random, byte[] seed, byte[] buffer) {
        Arrays.fill(buffer, (byte) 0);
        System.arraycopy(seed, 0, buffer, 0, seed.length);
        int length = seed.length;
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            switch (random.nextInt(5)) {
                case 0 -> buffer[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> buffer[random.nextInt(length)] = (byte) random.nextInt();
                case 2 -> buffer[Frames.IP + random.nextInt(Math.max(1, length - Frames.IP))] = (byte) random.nextInt(); // headers more often
                case 3 -> length = random.nextInt(length + 1);
                default -> length = Math.min(buffer.length, length + random.nextInt(20));
            }
            if (length == 0) break;
        }
        boolean v4 = seed[12] == 0x08;
        if (random.nextBoolean() && v4 && length >= Frames.CARP4) Frames.fixIpv4Checksum(buffer);
        int carp = v4 ? Frames.CARP4 : Frames.CARP6;
        if (random.nextBoolean() && length >= carp + 36) Frames.fixCarpChecksum(buffer, carp);
        return length;
    }
}
