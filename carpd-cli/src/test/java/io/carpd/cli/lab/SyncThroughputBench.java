package io.carpd.cli.lab;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtClient;
import io.carpd.pfsync.conntrack.CtEvent;
import io.carpd.pfsync.conntrack.CtEventSource;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.conntrack.TcpInfo;
import io.carpd.pfsync.conntrack.Tuple;
import io.carpd.pfsync.conntrack.WriteReport;
import io.carpd.pfsync.engine.PeerState;
import io.carpd.pfsync.engine.PeerStatus;
import io.carpd.pfsync.engine.SyncAction;
import io.carpd.pfsync.engine.SyncEngine;
import io.carpd.pfsync.engine.SyncEvent;
import io.carpd.pfsync.engine.SyncSettings;
import io.carpd.pfsync.link.LinkSettings;
import io.carpd.pfsync.link.StateSync;
import io.carpd.pfsync.wire.ProtocolVersions;
import io.carpd.pfsync.wire.SessionNonce;
import io.carpd.pfsync.wire.SyncRecord;
import io.carpd.pfsync.wire.SyncSession;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast state sync goes on this machine, for carpd and for conntrackd (FTFW over UDP, writing
 * straight into the kernel) in the same namespaces. Run as root, e.g.
 * {@code bin/mvn25 -q -pl carpd-cli -am test -Dtest=SyncThroughputBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcarpd.bench.states=100000}. Each method prints one line:
 * <ul>
 * <li>{@code kernel}: batched CT_NEW injection, event delivery, dump and delete rates of one namespace;</li>
 * <li>{@code engine}: the sync engine, HMAC encode and verified decode alone, no kernel
 *     ({@code carpd.bench.engineStates}, default 1 M);</li>
 * <li>{@code stream}: both daemons in sync, then N states created on A through ctnetlink as fast
 *     as the kernel takes them; the time until B's kernel holds all of them;</li>
 * <li>{@code bulk}: A holds N states; B starts (and asks for a bulk transfer); the time until B's
 *     kernel holds all of them.</li>
 * </ul>
 * {@code nf_conntrack_max} is global and counted per namespace: keep N below it (262 144 here).
 * CPU is per synced state: carpd's is the bench JVM's process CPU less the generator's thread;
 * conntrackd's is utime + stime of both daemons.
 */
class SyncThroughputBench {
    private static final int STATES = Integer.getInteger("carpd.bench.states", 100_000);
    private static final int ENGINE_STATES = Integer.getInteger("carpd.bench.engineStates", 1_000_000);
    private static final byte[] KEY = "bench-sync-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

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

    private static List<CtWrite> upserts(int n) throws Exception {
        return states(n).stream().map(s -> (CtWrite) new CtWrite.Upsert(s)).toList();
    }

    private static String rate(long n, long nanos) {
        return String.format("%,d in %.2f s = %,.0f/s", n, nanos / 1e9, n * 1e9 / nanos);
    }

    private static void stateful(Netns fw) {
        fw.sh("""
                nft -f - <<'EOF'
                table inet bench {
                  chain input { type filter hook input priority 0; policy accept; ct state established accept; }
                }
                EOF
                """);
        fw.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_events=1");
    }

    private record Created(long nanos, long cpuNanos) {}

    /** Two stateful namespaces joined by the sync link; B has the lower address, so B dials. */
    private record Pair(Netns a, Netns b, java.util.concurrent.ExecutorService inB) implements AutoCloseable {
        static final String A_ADDR = "198.51.100.2";
        static final String B_ADDR = "198.51.100.1";

        static Pair create() {
            Netns a = Netns.create("bka");
            Netns b = Netns.create("bkb");
            Netns.veth(a, "sync", b, "sync");
            a.exec("ip", "addr", "add", A_ADDR + "/30", "dev", "sync");
            b.exec("ip", "addr", "add", B_ADDR + "/30", "dev", "sync");
            stateful(a);
            stateful(b);
            return new Pair(a, b, b.executor());
        }

        /**
         * Connections in B's table: the "entries" column of /proc/thread-self/net/stat/nf_conntrack,
         * read by a thread inside B (thread-self/net is the reading thread's namespace; spawning a
         * process per poll would cost more CPU than the daemons being measured).
         */
        int countB() throws Exception {
            return inB.submit(() -> {
                String line = Files.readAllLines(Path.of("/proc/thread-self/net/stat/nf_conntrack")).get(1);
                return Integer.parseInt(line.substring(0, line.indexOf(' ')), 16);
            }).get();
        }

        /** Nanos at which B's table first held {@code target} connections. */
        long awaitB(int target) throws Exception {
            return awaitB(target, () -> "");
        }

        long awaitB(int target, java.util.function.Supplier<String> diagnosis) throws Exception {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            int n;
            while ((n = countB()) < target) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("B's table holds " + n + " of " + target + " after " + DEADLINE + diagnosis.get());
                }
                Thread.sleep(2);
            }
            return System.nanoTime();
        }

        /** Creates {@code writes} in A's table from a client of its own: how long it took, and its thread's CPU. */
        Created create(List<CtWrite> writes) throws Exception {
            return a.call(() -> {
                long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try (CtClient ct = CtClient.open()) {
                    long t0 = System.nanoTime();
                    WriteReport r = ct.write(writes);
                    if (r.applied() != writes.size()) {
                        throw new AssertionError("could only create " + r.applied() + " states in A: " + r.failures().getFirst());
                    }
                    return new Created(System.nanoTime() - t0, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                }
            });
        }

        @Override
        public void close() {
            Netns.closeAll(a, b);
        }
    }

    @Test
    void kernel() throws Exception {
        Netns.assumeAvailable();
        try (Netns fw = Netns.create("bench")) {
            stateful(fw);
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
                var mx = ManagementFactory.getThreadMXBean();
                long c0 = mx.getCurrentThreadCpuTime();
                long u0 = mx.getCurrentThreadUserTime();
                long t0 = System.nanoTime();
                WriteReport r = ct.write(upserts);
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                long u1 = mx.getCurrentThreadUserTime();
                reader.join();
                System.out.printf("inject  %s (failures %d); writer thread CPU: user %.2f s, kernel %.2f s%n", rate(r.applied(), t1 - t0),
                        r.failures().size(), (u1 - u0) / 1e9, ((c1 - c0) - (u1 - u0)) / 1e9);
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

    // ---- carpd ------------------------------------------------------------------------------

    /** A as the MASTER of the reference deployment's two VHIDs, as the CARP side would report it. */
    private static void master(StateSync s) {
        s.localVhidStates(List.of(new io.carpd.pfsync.wire.VhidState("wan", 1, io.carpd.core.election.CarpState.MASTER),
                new io.carpd.pfsync.wire.VhidState("lan", 2, io.carpd.core.election.CarpState.MASTER)));
    }

    private static StateSync carpd(Netns fw, String local, String peer, int node) throws Exception {
        StateSync.Listener quiet = new StateSync.Listener() {
            public void demotion(int value, String reason) { }
            public void peerState(PeerState from, PeerState to, String reason) { }
        };
        StateSync s = new StateSync(new LinkSettings(InetAddress.getByName(local), InetAddress.getByName(peer), 18374, KEY, node,
                Duration.ofMillis(100), Duration.ofSeconds(1)), SyncSettings.defaults(120, 0), Duration.ZERO, quiet);
        fw.call(() -> {
            s.start();
            return null;
        });
        return s;
    }

    private static PeerStatus awaitInSync(StateSync s) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        PeerStatus st;
        while ((st = s.status().join()).state() != PeerState.IN_SYNC || st.lastBulkReceived() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in sync within " + DEADLINE + ": " + st);
            }
            Thread.sleep(10);
        }
        return st;
    }

    /** CPU nanos per live thread name, to see where a run's CPU went. */
    private static java.util.Map<String, Long> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                out.merge(t.getThreadName(), Math.max(0, mx.getThreadCpuTime(t.getThreadId())), Long::sum);
            }
        }
        return out;
    }

    private static String cpuBreakdown(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long total, int states) {
        StringBuilder sb = new StringBuilder();
        long named = 0;
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > total / 100) {
                sb.append(String.format("%n          %-40s %5.1f µs/state", e.getKey(), d / 1e3 / states));
            }
            named += d;
        }
        sb.append(String.format("%n          %-40s %5.1f µs/state", "(GC, JIT, ended threads)", (total - named) / 1e3 / states));
        return sb.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * A daemon runs warm: before measuring, a fifth of the states is synced and deleted again, so
     * that the JIT has compiled the paths the measurement takes.
     */
    private static void warmUp(Pair p) throws Exception {
        int base = p.countB();
        List<ConnState> some = states(Math.max(1000, STATES / 5));
        p.create(some.stream().map(s -> (CtWrite) new CtWrite.Upsert(s)).toList());
        p.awaitB(base + some.size());
        p.create(some.stream().map(s -> (CtWrite) new CtWrite.Delete(s.key())).toList());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (p.countB() > base) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("warm-up deletes did not reach B");
            }
            Thread.sleep(20);
        }
    }

    private static String diagnosis(StateSync a, StateSync b) {
        return "\nA: " + a.status().join() + "\n   " + a.snapshot().join() + "\nB: " + b.status().join() + "\n   " + b.snapshot().join();
    }

    private static void checkOneConnection(StateSync s) {
        var counters = s.snapshot().join().counters();
        if (counters.get("connections") != 1) {
            throw new AssertionError("the link reconnected during the run: " + counters);
        }
    }

    @Test
    void stream() throws Exception {
        Netns.assumeAvailable();
        try (Pair p = Pair.create()) {
            StateSync sa = carpd(p.a(), Pair.A_ADDR, Pair.B_ADDR, 1);
            StateSync sb = carpd(p.b(), Pair.B_ADDR, Pair.A_ADDR, 2);
            try (sa; sb) {
                awaitInSync(sa);
                awaitInSync(sb);
                warmUp(p);
                List<CtWrite> writes = upserts(STATES);
                int target = p.countB() + STATES;
                var threads0 = threadCpu();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                Created created = p.create(writes);
                long inB = p.awaitB(target, () -> diagnosis(sa, sb));
                long cpu = processCpuNanos() - cpu0 - created.cpuNanos();
                if (Boolean.getBoolean("carpd.bench.threads")) {
                    System.out.println("threads" + cpuBreakdown(threads0, threadCpu(), cpu, STATES));
                }
                checkOneConnection(sb);
                System.out.printf("stream  carpd: %,d states created on A in %.2f s; all in B's kernel %.2f s after the first: %s; "
                                + "CPU %.1f µs/state (both nodes)%n", STATES, created.nanos() / 1e9, (inB - t0) / 1e9, rate(STATES, inB - t0),
                        cpu / 1e3 / STATES);
            }
        }
    }

    @Test
    void bulk() throws Exception {
        Netns.assumeAvailable();
        try (Pair p = Pair.create()) {
            p.create(upserts(STATES));
            StateSync sa = carpd(p.a(), Pair.A_ADDR, Pair.B_ADDR, 1);
            master(sa);
            try (sa) {
                int target = p.countB() + STATES;
                // Warm-up round (the JIT compiles both roles), then B restarts with an empty table.
                try (StateSync warm = carpd(p.b(), Pair.B_ADDR, Pair.A_ADDR, 2)) {
                    p.awaitB(target, () -> diagnosis(sa, warm));
                }
                p.b().exec("conntrack", "-F");
                target = p.countB() + STATES;
                var threads0 = threadCpu();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                StateSync sb = carpd(p.b(), Pair.B_ADDR, Pair.A_ADDR, 2);
                try (sb) {
                    long inB = p.awaitB(target, () -> diagnosis(sa, sb));
                    long cpu = processCpuNanos() - cpu0;
                    if (Boolean.getBoolean("carpd.bench.threads")) {
                        System.out.println("threads" + cpuBreakdown(threads0, threadCpu(), cpu, STATES));
                        awaitInSync(sb);
                        System.gc();
                        Runtime rt = Runtime.getRuntime();
                        System.out.printf("heap    %.1f MB used after GC with both tables (%d states each)%n",
                                (rt.totalMemory() - rt.freeMemory()) / 1e6, STATES);
                        Object hist = ManagementFactory.getPlatformMBeanServer().invoke(
                                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                                new Object[] {new String[0]}, new String[] {String[].class.getName()});
                        hist.toString().lines().limit(25).forEach(System.out::println);
                    }
                    PeerStatus st = awaitInSync(sb);
                    checkOneConnection(sb);
                    System.out.printf("bulk    carpd: %,d states from A's kernel into B's, B started → all in B's kernel: %s "
                                    + "(bulk transfer itself %.2f s); CPU %.1f µs/state (both nodes)%n",
                            STATES, rate(STATES, inB - t0), st.lastBulkReceived().durationNanos() / 1e9, cpu / 1e3 / STATES);
                }
            }
        }
    }

    @Test
    void engine() throws Exception {
        List<ConnState> all = states(ENGINE_STATES);
        SyncSession tx = new SyncSession(KEY, 1, ProtocolVersions.CURRENT, SessionNonce.random());
        SyncSession rx = new SyncSession(KEY, 2, ProtocolVersions.CURRENT, SessionNonce.random());
        rx.receive(tx.helloFrame());
        tx.receive(rx.helloFrame());
        SyncEngine sender = new SyncEngine(SyncSettings.defaults(30, 0));
        SyncEngine receiver = new SyncEngine(SyncSettings.defaults(30, 0));
        long now = 0;
        for (ConnState s : all) {
            sender.handle(new SyncEvent.LocalUpsert(s), now);
        }
        receiver.handle(new SyncEvent.Connected(1), now);
        long t0 = System.nanoTime();
        List<SyncAction> out = new ArrayList<>(sender.handle(new SyncEvent.Connected(2), now));
        out.addAll(sender.handle(new SyncEvent.FrameReceived(1, List.of(new SyncRecord.BulkRequest())), now));
        long bytes = 0;
        long written = 0;
        boolean ended = false;
        // Frames go through the wire codec into the receiving engine, whose kernel writes are counted.
        while (!ended) {
            for (SyncAction a : out) {
                if (a instanceof SyncAction.SendFrame f) {
                    byte[] frame = tx.encode(f.seq(), f.records());
                    bytes += frame.length;
                    if (rx.receive(frame) instanceof SyncSession.Inbound.Records r) {
                        for (SyncAction b : receiver.handle(new SyncEvent.FrameReceived(r.seq(), r.records()), now)) {
                            if (b instanceof SyncAction.WriteKernel w) {
                                written += w.writes().size();
                            }
                        }
                        ended |= r.records().stream().anyMatch(x -> x instanceof SyncRecord.BulkEnd);
                    }
                }
            }
            out = ended ? List.of() : sender.handle(new SyncEvent.Tick(), now);
        }
        long t1 = System.nanoTime();
        if (written != ENGINE_STATES) {
            throw new AssertionError("the receiving engine wrote " + written + " of " + ENGINE_STATES + " states");
        }
        System.out.printf("engine  %s: sending engine, HMAC encode, verified decode, receiving engine (no kernel); %,d bytes (%.1f B/state)%n",
                rate(written, t1 - t0), bytes, (double) bytes / written);
    }

    // ---- conntrackd -------------------------------------------------------------------------

    private static Process conntrackd(Netns fw, Path dir, String side, String me, String peer, boolean startupResync) throws IOException {
        Path conf = dir.resolve(side + ".conf");
        Path run = Files.createDirectories(dir.resolve(side));
        Files.writeString(conf, ConntrackdSyncDaemons.configText(side, me, peer, "sync", dir.resolve(side + ".log"), run, startupResync));
        return fw.start(dir.resolve(side + ".out"), "conntrackd", "-C", conf.toString());
    }

    /** utime + stime of {@code p} in nanoseconds, from /proc/pid/stat (clock ticks of 10 ms). */
    private static long cpuNanos(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private static String overruns(Path dir) throws IOException {
        long n = 0;
        for (String side : new String[] {"a", "b"}) {
            Path log = dir.resolve(side + ".log");
            if (Files.exists(log)) {
                n += Files.readAllLines(log).stream().filter(l -> l.contains("overrun") || l.contains("ENOBUFS")).count();
            }
        }
        return n == 0 ? "no overruns logged" : n + " overrun lines logged";
    }

    private static Path conntrackdDir() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/conntrackd")), "conntrackd is not installed");
        return Files.createTempDirectory("carpd-bench-conntrackd");
    }

    private static void deleteDir(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void streamConntrackd() throws Exception {
        Netns.assumeAvailable();
        Path dir = conntrackdDir();
        try (Pair p = Pair.create()) {
            Process a = conntrackd(p.a(), dir, "a", Pair.A_ADDR, Pair.B_ADDR, false);
            Process b = conntrackd(p.b(), dir, "b", Pair.B_ADDR, Pair.A_ADDR, false);
            Thread.sleep(2000);
            List<CtWrite> writes = upserts(STATES);
            int target = p.countB() + STATES;
            long cpu0 = cpuNanos(a) + cpuNanos(b);
            long t0 = System.nanoTime();
            Created created = p.create(writes);
            long inB = p.awaitB(target);
            long cpu = cpuNanos(a) + cpuNanos(b) - cpu0;
            System.out.printf("stream  conntrackd: %,d states created on A in %.2f s; all in B's kernel %.2f s after the first: %s; "
                            + "CPU %.1f µs/state (both daemons); %s%n", STATES, created.nanos() / 1e9, (inB - t0) / 1e9, rate(STATES, inB - t0),
                    cpu / 1e3 / STATES, overruns(dir));
        } finally {
            deleteDir(dir);
        }
    }

    @Test
    void bulkConntrackd() throws Exception {
        Netns.assumeAvailable();
        Path dir = conntrackdDir();
        try (Pair p = Pair.create()) {
            p.create(upserts(STATES));
            Process a = conntrackd(p.a(), dir, "a", Pair.A_ADDR, Pair.B_ADDR, false);
            Thread.sleep(3000); // A dumps its table into its internal cache at start
            int target = p.countB() + STATES;
            long cpuA = cpuNanos(a);
            long t0 = System.nanoTime();
            Process b = conntrackd(p.b(), dir, "b", Pair.B_ADDR, Pair.A_ADDR, true);
            long inB = p.awaitB(target);
            long cpu = cpuNanos(a) - cpuA + cpuNanos(b);
            System.out.printf("bulk    conntrackd: %,d states from A into B's kernel, B started (StartupResync) → all in B's kernel: %s; "
                    + "CPU %.1f µs/state (both daemons); %s%n", STATES, rate(STATES, inB - t0), cpu / 1e3 / STATES, overruns(dir));
        } finally {
            deleteDir(dir);
        }
    }
}
