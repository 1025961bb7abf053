package io.carpd.pfsync.link;

import io.carpd.pfsync.wire.FrameDrop;
import io.carpd.pfsync.wire.SyncRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The TCP link over loopback addresses (127.0.0.1 dials 127.0.0.2): handshake, frames, refusals. */
class SyncLinkTest {
    private static final byte[] KEY = "sync-link-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);

    private static final class Recorder implements SyncLink.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        public void established(int peerNodeId, int version) {
            events.add("established " + peerNodeId + " v" + version);
        }

        public void frame(long seq, List<SyncRecord> records) {
            events.add("frame " + seq + " " + records);
        }

        public void lost(String reason) {
            events.add("lost");
        }

        public void writable() {
        }
    }

    private static LinkSettings settings(String local, String peer, int port, byte[] key, int node) throws Exception {
        return new LinkSettings(InetAddress.getByName(local), InetAddress.getByName(peer), port, key, node,
                Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int port() {
        return 20000 + ThreadLocalRandom.current().nextInt(20000);
    }

    @Test
    void peersHandshakeAndExchangeFramesAndTheLowerAddressDials() throws Exception {
        int port = port();
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LinkSettings sa = settings("127.0.0.1", "127.0.0.2", port, KEY, 1);
        LinkSettings sb = settings("127.0.0.2", "127.0.0.1", port, KEY, 2);
        assertThat(sa.dials()).isTrue();
        assertThat(sb.dials()).isFalse();
        try (SyncLink b = new SyncLink(sb, rb); SyncLink a = new SyncLink(sa, ra)) {
            b.start();
            a.start();
            await("both established", () -> ra.events.contains("established 2 v1") && rb.events.contains("established 1 v1"));
            a.eventLoop().submit(() -> a.send(1, List.of(new SyncRecord.BulkRequest()))).sync();
            await("frame at B", () -> rb.events.contains("frame 1 [BulkRequest[]]"));
            // B closes; A notices and redials; a fresh session starts over at seq 1.
            b.eventLoop().submit(() -> b.disconnect("test")).sync();
            await("A redialled", () -> a.connections() == 2 && ra.events.stream().filter(e -> e.startsWith("established")).count() == 2);
            assertThat(ra.events).contains("lost");
            a.eventLoop().submit(() -> a.send(1, List.of(new SyncRecord.Ack(0)))).sync();
            await("frame 1 of the new connection at B", () -> rb.events.contains("frame 1 [Ack[seq=0]]"));
        }
    }

    @Test
    void wrongKeyNeverEstablishesAndIsCountedAsBadMac() throws Exception {
        int port = port();
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        byte[] otherKey = "a-different-key-of-enough-bytes".getBytes(StandardCharsets.US_ASCII);
        try (SyncLink b = new SyncLink(settings("127.0.0.2", "127.0.0.1", port, KEY, 2), rb);
             SyncLink a = new SyncLink(settings("127.0.0.1", "127.0.0.2", port, otherKey, 1), ra)) {
            b.start();
            a.start();
            await("several refused attempts", () -> b.dropped(FrameDrop.BAD_MAC) >= 2);
            assertThat(rb.events).noneMatch(e -> e.startsWith("established"));
            assertThat(ra.events).noneMatch(e -> e.startsWith("established"));
        }
    }

    @Test
    void connectionFromAnotherAddressIsRefused() throws Exception {
        int port = port();
        Recorder rb = new Recorder();
        try (SyncLink b = new SyncLink(settings("127.0.0.2", "127.0.0.1", port, KEY, 2), rb)) {
            b.start();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.2", port), 2000);
                s.setSoTimeout(2000);
                assertThat(s.getInputStream().read()).as("closed without a HELLO").isEqualTo(-1);
            }
            assertThat(b.foreignConnectionsRefused()).isEqualTo(1);
            assertThat(b.connections()).isZero();
        }
    }
}
