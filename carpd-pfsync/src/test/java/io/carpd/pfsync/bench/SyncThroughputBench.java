package io.carpd.pfsync.bench;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtClient;
import io.carpd.pfsync.conntrack.CtEvent;
import io.carpd.pfsync.conntrack.CtEventSource;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.conntrack.TcpInfo;
import io.carpd.pfsync.conntrack.Tuple;
import io.carpd.pfsync.conntrack.WriteReport;
import io.carpd.pfsync.engine.SyncAction;
import io.carpd.pfsync.engine.SyncEngine;
import io.carpd.pfsync.engine.SyncEvent;
import io.carpd.pfsync.engine.SyncSettings;
import io.carpd.pfsync.wire.ProtocolVersions;
import io.carpd.pfsync.wire.SessionNonce;
import io.carpd.pfsync.wire.SyncRecord;
import io.carpd.pfsync.wire.SyncSession;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the pieces of state sync go on this machine. Run as root:
 * {@code bin/mvn25 -q -pl carpd-pfsync -am test -Dtest=SyncThroughputBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcarpd.bench.states=100000}. Prints: kernel injection rate (batched CT_NEW), dump time, event
 * delivery while injecting, delete rate, the engine + codec rate of a bulk transfer, and a whole
 * bulk transfer between two namespaces over the sync link (A's kernel table into B's kernel).
 */
class SyncThroughputBench {
    private static final int STATES = Integer.getInteger("carpd.bench.states", 100_000);

    private static List<ConnState> states(int n) throws Exception {
        List<ConnState> out = new ArrayList<>(n);
        InetAddress server = InetAddress.getByName("203.0.113.9");
        for (int i = 0; i < n; i++) {
            InetAddress client = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (1 + i / 60000)});
            int port = 1024 + i % 60000;
            out.add(new ConnState(0, Family.INET, Tuple.ports(client, server, Tuple.TCP, port, 443),
                    Tuple.ports(server, client, Tuple.TCP, 443, port), 0xe, 3600, 0,
                    new TcpInfo(TcpInfo.ESTABLISHED, 7, 7, 3, 3)));
        }
        return out;
    }

    private static String rate(long n, long nanos) {
        return String.format("%,d in %.2f s = %,.0f/s", n, nanos / 1e9, n * 1e9 / nanos);
    }

    @Test
    void kernel() throws Exception {
        Netns.assumeAvailable();
        try (Netns fw = Netns.create("bench")) {
            fw.sh("""
                    nft -f - <<'EOF'
                    table inet bench {
                      chain input { type filter hook input priority 0; policy accept; ct state established accept; }
                    }
                    EOF
                    """);
            fw.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_events=1");
            List<ConnState> all = states(STATES);
            List<CtWrite> upserts = all.stream().map(s -> (CtWrite) new CtWrite.Upsert(s)).toList();
            try (CtClient ct = fw.call(CtClient::open); CtEventSource events = fw.call(() -> CtEventSource.open(16 << 20))) {
                AtomicLong seen = new AtomicLong();
                AtomicLong overruns = new AtomicLong();
                Thread reader = Thread.ofPlatform().start(() -> {
                    while (events.poll(500, e -> {
                        if (e instanceof CtEvent.Overrun) {
                            overruns.incrementAndGet();
                        } else {
                            seen.incrementAndGet();
                        }
                    })) {
                        // keep reading until the kernel has been quiet for 500 ms
                    }
                });
                long t0 = System.nanoTime();
                WriteReport r = ct.write(upserts);
                long t1 = System.nanoTime();
                reader.join();
                System.out.printf("inject  %s (failures %d)%n", rate(r.applied(), t1 - t0), r.failures().size());
                System.out.printf("events  %,d NEW events received by a 16 MiB listener, %d overruns%n", seen.get(), overruns.get());
                long t2 = System.nanoTime();
                int dumped = ct.dump().size();
                long t3 = System.nanoTime();
                System.out.printf("dump    %s%n", rate(dumped, t3 - t2));
                List<CtWrite> deletes = all.stream().map(s -> (CtWrite) new CtWrite.Delete(s.key())).toList();
                long t4 = System.nanoTime();
                WriteReport d = ct.write(deletes);
                long t5 = System.nanoTime();
                System.out.printf("delete  %s%n", rate(d.applied(), t5 - t4));
            }
        }
    }

    @Test
    void bulkOverTheLink() throws Exception {
        Netns.assumeAvailable();
        byte[] key = "bench-sync-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        try (Netns a = Netns.create("bka"); Netns b = Netns.create("bkb")) {
            Netns.veth(a, "sync", b, "sync");
            a.exec("ip", "addr", "add", "198.51.100.1/30", "dev", "sync");
            b.exec("ip", "addr", "add", "198.51.100.2/30", "dev", "sync");
            for (Netns fw : new Netns[] {a, b}) {
                fw.sh("""
                        nft -f - <<'EOF'
                        table inet bench {
                          chain input { type filter hook input priority 0; policy accept; ct state established accept; }
                        }
                        EOF
                        """);
                fw.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_events=1");
            }
            try (CtClient aKernel = a.call(CtClient::open); CtClient bKernel = b.call(CtClient::open)) {
                List<CtWrite> upserts = states(STATES).stream().map(s -> (CtWrite) new CtWrite.Upsert(s)).toList();
                WriteReport r = aKernel.write(upserts);
                if (r.applied() != STATES) {
                    throw new AssertionError("could only create " + r.applied() + " states in A");
                }
                SyncSettings settings = SyncSettings.defaults(120, 0);
                io.carpd.pfsync.link.StateSync.Listener quiet = new io.carpd.pfsync.link.StateSync.Listener() {
                    public void demotion(int value, String reason) { }
                    public void peerState(io.carpd.pfsync.engine.PeerState from, io.carpd.pfsync.engine.PeerState to, String reason) { }
                };
                var sa = new io.carpd.pfsync.link.StateSync(new io.carpd.pfsync.link.LinkSettings(InetAddress.getByName("198.51.100.1"),
                        InetAddress.getByName("198.51.100.2"), 18374, key, 1, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1)),
                        settings, java.time.Duration.ZERO, quiet);
                var sb = new io.carpd.pfsync.link.StateSync(new io.carpd.pfsync.link.LinkSettings(InetAddress.getByName("198.51.100.2"),
                        InetAddress.getByName("198.51.100.1"), 18374, key, 2, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1)),
                        settings, java.time.Duration.ZERO, quiet);
                try (sa; sb) {
                    // A (the dialler) holds the table first; the bulk starts when B comes up.
                    a.call(() -> {
                        sa.start();
                        return null;
                    });
                    long t0 = System.nanoTime();
                    b.call(() -> {
                        sb.start();
                        return null;
                    });
                    long deadline = t0 + java.util.concurrent.TimeUnit.SECONDS.toNanos(300);
                    io.carpd.pfsync.engine.PeerStatus st;
                    while ((st = sb.status().join()).lastBulkReceived() == null || st.peerStates() < STATES) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("no complete bulk within 300 s: " + st);
                        }
                        Thread.sleep(20);
                    }
                    long received = System.nanoTime();
                    sb.kernelWritesDone().join();
                    long written = System.nanoTime();
                    int inB = bKernel.dump().size();
                    var snap = sb.snapshot().join();
                    System.out.printf("link    %,d states from A's kernel to B's: bulk received %.2f s after B started "
                                    + "(bulk itself %.2f s), in B's kernel after %.2f s (%,d there); %,d bytes in %,d frames; B's counters %s%n",
                            STATES, (received - t0) / 1e9, st.lastBulkReceived().durationNanos() / 1e9, (written - t0) / 1e9,
                            inB, snap.bytesReceived(), snap.framesReceived(), snap.counters());
                    if (snap.counters().get("connections") != 1) {
                        throw new AssertionError("the link reconnected during the bulk: " + snap.counters());
                    }
                }
            }
        }
    }

    @Test
    void engineAndCodec() throws Exception {
        List<ConnState> all = states(STATES);
        byte[] key = "bench-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        SyncSession tx = new SyncSession(key, 1, ProtocolVersions.CURRENT, SessionNonce.random());
        SyncSession rx = new SyncSession(key, 2, ProtocolVersions.CURRENT, SessionNonce.random());
        rx.receive(tx.helloFrame());
        tx.receive(rx.helloFrame());
        SyncEngine sender = new SyncEngine(SyncSettings.defaults(30, 0));
        long now = 0;
        for (ConnState s : all) {
            sender.handle(new SyncEvent.LocalUpsert(s), now);
        }
        long t0 = System.nanoTime();
        List<SyncAction> out = new ArrayList<>(sender.handle(new SyncEvent.Connected(2), now));
        out.addAll(sender.handle(new SyncEvent.FrameReceived(1, List.of(new SyncRecord.BulkRequest())), now));
        while (out.stream().noneMatch(a -> a instanceof SyncAction.SendFrame f
                && f.records().stream().anyMatch(r -> r instanceof SyncRecord.BulkEnd))) {
            out.addAll(sender.handle(new SyncEvent.Tick(), now));
        }
        long bytes = 0;
        long received = 0;
        for (SyncAction a : out) {
            if (a instanceof SyncAction.SendFrame f) {
                byte[] frame = tx.encode(f.seq(), f.records());
                bytes += frame.length;
                if (rx.receive(frame) instanceof SyncSession.Inbound.Records r) {
                    received += r.records().stream().filter(x -> x instanceof SyncRecord.StateUpsert).count();
                }
            }
        }
        long t1 = System.nanoTime();
        System.out.printf("bulk    %s through engine, HMAC encode and verified decode; %,d bytes (%.1f B/state)%n",
                rate(received, t1 - t0), bytes, (double) bytes / received);
    }
}
