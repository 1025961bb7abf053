package io.carpd.cli.lab;

import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtClient;
import io.carpd.pfsync.conntrack.CtWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code carpd lab sync-bench}: live state sync under a rising rate of new UDP flows through the
 * MASTER (fw1), for carpd and for conntrackd in the same lab. Per step it reports how many of the
 * flows fw1 saw reached fw2's kernel and the lag between the two NEW events; then the highest rate
 * kept up, CPU seconds per synced state and RSS of both daemons. Between steps the flows are
 * deleted on fw1 and the deletes drain through the daemon, so every step starts from an empty
 * table and no namespace nears {@code nf_conntrack_max}. Not a test: numbers depend on the machine.
 */
@Command(name = "sync-bench", description = "State sync benchmark: live flow rate, lag, CPU and RSS of carpd and conntrackd.")
public final class SyncBench implements Callable<Integer> {

    /** How long a step's flows may take to show up in fw2 after the last datagram. */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    /** A step whose fw2 count has not moved for this long is over. */
    private static final Duration STALL = Duration.ofSeconds(4);
    private static final Duration DRAIN = Duration.ofSeconds(15);
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(5);
    private static final int WARMUP_FLOWS = 4000;
    private static final int WARMUP_RATE = 2000;
    private static final int DELETE_BATCH = 256;
    private static final double MIN_DELETE_RATE = 2000;

    @Option(names = "--daemon", defaultValue = "both", description = "carpd, conntrackd or both (default: ${DEFAULT-VALUE}).")
    String daemon;

    @Option(names = "--conntrackd-normal-priority",
            description = "Run conntrackd as SCHED_OTHER like carpd, not with its default real-time round-robin policy.")
    boolean conntrackdNormalPriority;

    @Option(names = "--carpd-heap", description = "Maximum heap of the carpd daemons, e.g. 256m "
            + "(default: 64m, as packaged).")
    String carpdHeap;

    @Option(names = "--rates", split = ",", defaultValue = "2000,5000,10000,20000,40000,80000",
            description = "Offered new flows per second, one step each (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--step-seconds", defaultValue = "3", description = "Length of a step (default: ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(names = "--max-flows", defaultValue = "100000",
            description = "Flows per step at most; a faster step is shorter (default: ${DEFAULT-VALUE}).")
    int maxFlows;

    @Option(names = "--threshold-ms", defaultValue = "1000",
            description = "p99 lag up to which the BACKUP keeps up (default: ${DEFAULT-VALUE}).")
    long thresholdMillis;

    @Option(names = "--prefix", defaultValue = "carpsync-",
            description = "Namespace name prefix; carpd- or ctd- is appended per daemon (default: ${DEFAULT-VALUE}).")
    String prefix;

    /** The outcome for one daemon. */
    record Run(String daemon, List<SyncStep> steps, Map<LabNode, Double> idleCpuPercent, Map<LabNode, Double> cpuSeconds,
               Map<LabNode, ProcUsage> usage, long synced, List<String> losses) {

        /** Whether every step kept up: the highest rate is then the generator's ceiling, not the daemon's. */
        boolean allKeptUp(long thresholdMillis) {
            return steps.stream().allMatch(s -> s.keptUp(thresholdMillis));
        }

        SyncStep best(long thresholdMillis) {
            return steps.stream().filter(s -> s.keptUp(thresholdMillis))
                    .max((a, b) -> Double.compare(a.masterRate(), b.masterRate())).orElse(null);
        }

        double cpuMicrosPerState(LabNode fw) {
            return synced == 0 ? Double.NaN : cpuSeconds.get(fw) * 1e6 / synced;
        }
    }

    @Override
    public Integer call() {
        return LabCommand.guarded(this::bench);
    }

    private int bench() {
        List<SyncDaemons> daemons = switch (daemon) {
            case "carpd" -> List.of(new CarpdSyncDaemons());
            case "conntrackd" -> List.of(new ConntrackdSyncDaemons(conntrackdNormalPriority));
            case "both" -> List.of(new CarpdSyncDaemons(), new ConntrackdSyncDaemons(conntrackdNormalPriority));
            default -> throw new IllegalArgumentException("--daemon must be carpd, conntrackd or both, not " + daemon);
        };
        if (stepSeconds < 1 || stepSeconds > 30) {
            throw new IllegalArgumentException("--step-seconds must be 1..30");
        }
        if (maxFlows < 1000 || maxFlows > BenchFlows.MAX_FLOWS) {
            throw new IllegalArgumentException("--max-flows must be 1000.." + BenchFlows.MAX_FLOWS
                    + " (nf_conntrack_max is shared by every namespace's table and never raised)");
        }
        if (rates.isEmpty() || rates.size() > 12 || rates.stream().anyMatch(r -> r < 100 || r > 1_000_000)) {
            throw new IllegalArgumentException("--rates takes 1..12 rates of 100..1000000 flows/s");
        }
        LabCommand.requireRoot();
        List<Run> runs = new ArrayList<>();
        for (SyncDaemons d : daemons) {
            runs.add(run(d));
        }
        System.out.println();
        runs.forEach(this::summary);
        if (runs.size() == 2) {
            comparison(runs.get(0), runs.get(1));
        }
        return 0;
    }

    private Run run(SyncDaemons d) {
        // one lab per daemon, so the first one's logs stay for inspection
        String labPrefix = prefix + (d instanceof CarpdSyncDaemons ? "carpd-" : "ctd-");
        LabLayout layout = LabLayout.forPrefix(labPrefix);
        String name = d instanceof CarpdSyncDaemons && carpdHeap != null ? d.label() + " -Xmx" + carpdHeap : d.label();
        System.out.printf("%n== %s: building lab '%s' in %s (load average %s)%n", name, labPrefix, layout.dir(), loadAverage());
        CarpdLauncher launcher = carpdHeap == null ? CarpdLauncher.current() : CarpdLauncher.current().withMaxHeap(carpdHeap);
        try (Lab lab = Lab.create(layout, labPrefix, d.profile(), DaemonKind.CARPD, launcher, true)) {
            lab.topology().installStatefulFirewall(false);
            // the server drops the flows silently: no port-unreachable replies through fw1
            Namespaces.nft(lab.topology().ns(LabNode.SERVER), """
                    table inet syncbench {
                      chain input { type filter hook input priority 0; policy accept; udp dport %d-%d drop; }
                    }
                    """.formatted(BenchFlows.DST_BASE, BenchFlows.DST_BASE + BenchFlows.PER_SOURCE - 1));
            d.start(lab);
            System.out.printf("%s running on fw1 (MASTER, holds the VIPs) and fw2; pids fw1 %s, fw2 %s%n", d.label(),
                    pids(d.processes(lab, LabNode.FW1)), pids(d.processes(lab, LabNode.FW2)));
            String fw1 = lab.topology().ns(LabNode.FW1);
            String fw2 = lab.topology().ns(LabNode.FW2);
            try (FlowArrivals arrivals = FlowArrivals.open(fw1, fw2);
                 CtClient master = InNamespace.call(fw1, CtClient::open);
                 CtClient backup = InNamespace.call(fw2, CtClient::open)) {
                Map<LabNode, Long> idle0 = cpu(d, lab);
                Namespaces.sleepMillis(IDLE_SAMPLE.toMillis());
                Map<LabNode, Long> idle1 = cpu(d, lab);
                Map<LabNode, Double> idlePercent = new LinkedHashMap<>();
                idle0.forEach((fw, t) -> idlePercent.put(fw, ProcUsage.seconds(idle1.get(fw) - t) * 100 / IDLE_SAMPLE.toSeconds()));

                SyncStep warm = step(d, lab, arrivals, master, backup, 0, WARMUP_RATE, WARMUP_FLOWS);
                System.out.println("warm-up  " + warm.render(thresholdMillis));
                Map<LabNode, Long> cpu0 = cpu(d, lab);
                List<SyncStep> steps = new ArrayList<>();
                long synced = 0;
                for (int i = 0; i < rates.size(); i++) {
                    int rate = rates.get(i);
                    int flows = (int) Math.min(maxFlows, (long) rate * stepSeconds);
                    SyncStep s = step(d, lab, arrivals, master, backup, i + 1, rate, flows);
                    System.out.println("step " + (i + 1) + "   " + s.render(thresholdMillis));
                    System.out.println("         " + s.renderCosts());
                    steps.add(s);
                    synced += s.arrived();
                }
                Map<LabNode, Long> cpu1 = cpu(d, lab);
                Map<LabNode, Double> cpuSeconds = new LinkedHashMap<>();
                cpu0.forEach((fw, t) -> cpuSeconds.put(fw, ProcUsage.seconds(cpu1.get(fw) - t)));
                Map<LabNode, ProcUsage> usage = new LinkedHashMap<>();
                for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
                    usage.put(fw, total(d.processes(lab, fw)));
                }
                return new Run(name, steps, idlePercent, cpuSeconds, usage, synced, d.losses(lab));
            }
        }
    }

    /**
     * Sends the flows of one step, waits until fw2 has them all (or stalls, or {@link #SETTLE}
     * passes), then deletes them on fw1 and waits for the deletes to reach fw2.
     */
    private static SyncStep step(SyncDaemons d, Lab lab, FlowArrivals arrivals, CtClient master, CtClient backup, int index,
                                 int rate, int count) {
        BenchFlows flows = BenchFlows.forStep(index, count);
        Map<LabNode, Long> cpu0 = cpu(d, lab);
        long fw1Overruns0 = d.overruns(lab, LabNode.FW1);
        long fw2Overruns0 = d.overruns(lab, LabNode.FW2);
        long overruns0 = arrivals.overruns();
        FlowArrivals.Step s = arrivals.begin(flows);
        FlowGenerator.Sent sent = FlowGenerator.send(lab.topology().ns(LabNode.CLIENT), flows, rate);

        long deadline = sent.endNanos() + SETTLE.toNanos();
        int lastCount = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            int seen = s.seenMaster.get();
            int got = s.seenBackup.get();
            if (seen >= sent.flows() && got >= seen) {
                break;
            }
            if (got != lastCount) {
                lastCount = got;
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > STALL.toNanos()) {
                break;
            }
            Namespaces.sleepMillis(20);
        }

        long[] lags = new long[count];
        int arrived = 0;
        int unmatched = 0;
        long lastArrival = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long m = s.master.get(i);
            long b = s.backup.get(i);
            if (b != 0) {
                lastArrival = Math.max(lastArrival, b);
                if (m != 0) {
                    lags[arrived++] = b - m;
                } else {
                    unmatched++;
                }
            }
        }
        long benchOverruns = arrivals.overruns() - overruns0;

        double spanSeconds = Math.max(1e-9, (sent.endNanos() - sent.startNanos()) / 1e9);
        Flush flush = flush(master, backup, s, Math.max(MIN_DELETE_RATE, s.seenMaster.get() / spanSeconds));
        Map<LabNode, Long> cpu1 = cpu(d, lab);
        return new SyncStep(rate, spanSeconds, sent.flows(), s.seenMaster.get(),
                arrived, unmatched, arrived + unmatched == 0 ? 0 : lastArrival - sent.endNanos(),
                SyncStep.sorted(Arrays.copyOf(lags, arrived)), benchOverruns, flush.seconds(), flush.leftInBackup(),
                ProcUsage.seconds(cpu1.get(LabNode.FW1) - cpu0.get(LabNode.FW1)),
                ProcUsage.seconds(cpu1.get(LabNode.FW2) - cpu0.get(LabNode.FW2)),
                d.overruns(lab, LabNode.FW1) - fw1Overruns0, d.overruns(lab, LabNode.FW2) - fw2Overruns0);
    }

    /** How the flush after a step went: drain time and what was still in fw2 after it. */
    private record Flush(double seconds, int leftInBackup) {}

    /**
     * Deletes the step's flows on fw1 at {@code perSecond} (the flows end as fast as they began: a
     * burst of deletes would test the daemon's event buffer instead of its sync at the step's
     * rate), waits until fw2 has seen them go (or stalls, or {@link #DRAIN} passes), then deletes
     * whatever is left in both tables directly.
     */
    private static Flush flush(CtClient master, CtClient backup, FlowArrivals.Step s, double perSecond) {
        long start = System.nanoTime();
        deleteBenchFlows(master, perSecond);
        int synced = s.seenBackup.get();
        long deadline = start + DRAIN.toNanos();
        int lastDestroyed = -1;
        long lastProgress = System.nanoTime();
        while (s.destroyedBackup.get() < synced && System.nanoTime() < deadline
                && System.nanoTime() - lastProgress < STALL.toNanos()) {
            if (s.destroyedBackup.get() != lastDestroyed) {
                lastDestroyed = s.destroyedBackup.get();
                lastProgress = System.nanoTime();
            }
            Namespaces.sleepMillis(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int left = deleteBenchFlows(backup, 0);
        // anything the generator sent late or the daemon re-sent is gone before the next step
        deleteBenchFlows(master, 0);
        Namespaces.sleepMillis(500);
        return new Flush(seconds, left);
    }

    /**
     * Deletes every bench flow (of any step) from the table {@code ct} serves, at most
     * {@code perSecond} a second (0: at once); returns how many.
     */
    private static int deleteBenchFlows(CtClient ct, double perSecond) {
        List<CtWrite> deletes = new ArrayList<>();
        for (ConnState c : ct.dump()) {
            if (BenchFlows.isBenchTraffic(c.original())) {
                deletes.add(new CtWrite.Delete(c.key()));
            }
        }
        long start = System.nanoTime();
        for (int from = 0; from < deletes.size(); from += DELETE_BATCH) {
            if (perSecond > 0) {
                long due = start + (long) (from * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            ct.write(deletes.subList(from, Math.min(deletes.size(), from + DELETE_BATCH)));
        }
        return deletes.size();
    }

    private static Map<LabNode, Long> cpu(SyncDaemons d, Lab lab) {
        Map<LabNode, Long> out = new LinkedHashMap<>();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            out.put(fw, total(d.processes(lab, fw)).cpuTicks());
        }
        return out;
    }

    private static ProcUsage total(List<ProcessHandle> processes) {
        if (processes.isEmpty()) {
            throw new LabException("a sync daemon is not running any more");
        }
        long cpu = 0;
        long rss = 0;
        long hwm = 0;
        int policy = 0;
        for (ProcessHandle p : processes) {
            ProcUsage u = ProcUsage.of(p.pid());
            cpu += u.cpuTicks();
            rss += u.rssKb();
            hwm += u.hwmKb();
            policy = Math.max(policy, u.policy());
        }
        return new ProcUsage(cpu, rss, hwm, policy);
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String pids(List<ProcessHandle> ps) {
        return ps.stream().map(p -> Long.toString(p.pid())).reduce((a, b) -> a + "+" + b).orElse("none");
    }

    private void summary(Run r) {
        SyncStep best = r.best(thresholdMillis);
        System.out.printf(Locale.ROOT, "%s: highest rate kept up (all flows in fw2, p99 <= %d ms): %s%n", r.daemon(),
                thresholdMillis, best == null ? "none"
                        : String.format(Locale.ROOT, "%s%.0f flows/s (offered %d/s), lag p50 %.1f ms, p99 %.1f ms%s",
                        r.allKeptUp(thresholdMillis) ? ">= " : "", best.masterRate(), best.offeredRate(), best.lagMillis(0.5),
                        best.lagMillis(0.99), r.allKeptUp(thresholdMillis) ? " (every step kept up: the generator's ceiling here)" : ""));
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            ProcUsage u = r.usage().get(fw);
            System.out.printf(Locale.ROOT, "  %s: CPU %.2f s over the steps = %.1f µs per synced state; idle %.1f %% CPU; "
                            + "RSS %.1f MiB, peak %.1f MiB; %s%n", fw.label(), r.cpuSeconds().get(fw),
                    r.cpuMicrosPerState(fw), r.idleCpuPercent().get(fw), u.rssKb() / 1024.0, u.hwmKb() / 1024.0,
                    u.policyName());
        }
        System.out.printf("  %,d states synced over the steps; %s%n", r.synced(), String.join("; ", r.losses()));
    }

    private void comparison(Run a, Run b) {
        System.out.printf("%n%-34s %26s %26s   %s%n", "", a.daemon(), b.daemon(), "ratio " + a.daemon() + " / " + b.daemon());
        SyncStep ba = a.best(thresholdMillis);
        SyncStep bb = b.best(thresholdMillis);
        row("highest rate kept up (flows/s)" + (a.allKeptUp(thresholdMillis) || b.allKeptUp(thresholdMillis) ? " [1]" : ""),
                ba == null ? Double.NaN : ba.masterRate(), bb == null ? Double.NaN : bb.masterRate(), "%.0f");
        row("p99 lag at that rate (ms)", ba == null ? Double.NaN : ba.lagMillis(0.99), bb == null ? Double.NaN : bb.lagMillis(0.99), "%.1f");
        row("CPU µs/state, MASTER (fw1)", a.cpuMicrosPerState(LabNode.FW1), b.cpuMicrosPerState(LabNode.FW1), "%.1f");
        row("CPU µs/state, BACKUP (fw2)", a.cpuMicrosPerState(LabNode.FW2), b.cpuMicrosPerState(LabNode.FW2), "%.1f");
        row("peak RSS MiB, fw1", a.usage().get(LabNode.FW1).hwmKb() / 1024.0, b.usage().get(LabNode.FW1).hwmKb() / 1024.0, "%.1f");
        row("peak RSS MiB, fw2", a.usage().get(LabNode.FW2).hwmKb() / 1024.0, b.usage().get(LabNode.FW2).hwmKb() / 1024.0, "%.1f");
        for (Run r : List.of(a, b)) {
            if (r.allKeptUp(thresholdMillis)) {
                System.out.printf("[1] %s kept up at every step: its figure is the most the generator sent, a lower bound%n", r.daemon());
            }
        }
    }

    private static void row(String what, double a, double b, String format) {
        System.out.printf(Locale.ROOT, "%-34s %26s %26s   %s%n", what, String.format(Locale.ROOT, format, a),
                String.format(Locale.ROOT, format, b), Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-"
                        : String.format(Locale.ROOT, "%.2f", a / b));
    }
}
