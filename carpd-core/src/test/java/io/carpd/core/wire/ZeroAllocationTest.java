package io.carpd.core.wire;

import static io.carpd.core.wire.CarpAuthTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receive path runs for every captured packet: decoding and HMAC verification must not
 * allocate (the reason for the hand-written SHA-1). Counts this thread's allocated bytes.
 */
class ZeroAllocationTest {

    @Test
    void decodeAndVerifyAllocateNothing() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "JVM does not expose per-thread allocation counters");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        CarpAuth auth = CarpAuth.of(CarpAuthTest.ascii("secret"), 1,
                List.of(ip("192.168.1.10"), ip("2001:db8::1"), ip("fe80::1")));
        byte[] frame = Frames.v6Frame(auth);
        byte[] badHmac = frame.clone(); // fails the send context, then is tried with link-locals too
        badHmac[Frames.CARP6 + 30] ^= 1;
        Frames.fixCarpChecksum(badHmac, Frames.CARP6);
        VhidTable noBoxing = new VhidTable() { // the test Vhids boxes its keys; a runtime table must not
            @Override
            public CarpAuth auth(int vhid) {
                return vhid == 1 ? auth : null;
            }

            @Override
            public boolean isOwnCounter(int vhid, long counter) {
                return false;
            }
        };
        AdvertDecoder decoder = new AdvertDecoder();
        ReceivedAdvert out = new ReceivedAdvert();

        long sink = 0;
        for (int i = 0; i < 20_000; i++) sink += run(decoder, out, noBoxing, frame, badHmac);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) sink += run(decoder, out, noBoxing, frame, badHmac);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isEqualTo(120_000L * 2);
        assertThat(allocated).as("bytes allocated by 200,000 decodes").isLessThan(1024);
    }

    private static int run(AdvertDecoder decoder, ReceivedAdvert out, VhidTable table, byte[] good, byte[] bad) {
        int ok = decoder.decode(good, good.length, table, out) == null ? 1 : 0;
        int rejected = decoder.decode(bad, bad.length, table, out) == DropReason.BAD_HMAC ? 1 : 0;
        return ok + rejected;
    }
}
