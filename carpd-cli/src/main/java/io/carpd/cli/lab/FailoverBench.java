package io.carpd.cli.lab;

import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code carpd lab bench}: repeated hard (kill -9 + links down), graceful (SIGTERM) and, for carpd,
 * planned ({@code carpd maintenance on}) failovers of fw1, each injected at a random phase of the
 * advert cycle, while the client sends UDP through both VIPs every 10 ms. Prints takeover time (failure → fw2 holds both VIPs) and client outage
 * (longest reply gap) next to the protocol floor. Not a test: numbers depend on the machine.
 */
@Command(name = "bench", description = "Failover benchmark: takeover time and client outage, hard, graceful and maintenance.")
public final class FailoverBench implements Callable<Integer> {

    @Mixin LabCommand.Selection sel;
    @Mixin LabCommand.ProfileOptions opts;

    @Option(names = "--runs", defaultValue = "5", description = "Failovers per mode (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--mode", defaultValue = "all",
            description = "hard, graceful, maintenance or all (maintenance only with carpd; default: ${DEFAULT-VALUE}).")
    String mode;

    /** How fw1 leaves. */
    enum Failure {
        HARD, GRACEFUL, MAINTENANCE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One injected failover. */
    record Sample(long takeoverMillis, long outageMillis) {}

    @Override
    public Integer call() {
        return LabCommand.guarded(this::bench);
    }

    private int bench() {
        if (runs < 1 || runs > 100) {
            throw new IllegalArgumentException("--runs must be 1..100");
        }
        boolean carpd = opts.daemonKind() == DaemonKind.CARPD;
        List<Failure> modes = switch (mode) {
            case "hard" -> List.of(Failure.HARD);
            case "graceful" -> List.of(Failure.GRACEFUL);
            case "maintenance" -> List.of(Failure.MAINTENANCE);
            case "all" -> carpd ? List.of(Failure.values()) : List.of(Failure.HARD, Failure.GRACEFUL);
            default -> throw new IllegalArgumentException("--mode must be hard, graceful, maintenance or all, not " + mode);
        };
        if (modes.contains(Failure.MAINTENANCE) && !carpd) {
            throw new IllegalArgumentException("--mode maintenance needs --daemon carpd: the others have no maintenance command");
        }
        // the default prefix belongs to 'carpd lab up/demo': a bench never collides with a running lab
        if ("carplab-".equals(sel.prefix)) {
            sel.prefix = "carpbench-";
        }
        try (Lab lab = LabCommand.bringUp(sel, opts, true)) {
            if (!lab.awaitSoleOwner(LabNode.FW1, Duration.ofSeconds(30))) {
                System.out.println("fw1 is not master of both VIPs; nothing to measure (logs in " + lab.layout().dir() + ")");
                return 1;
            }
            LabProfile p = lab.profile();
            Duration perRun = Duration.ofMillis((long) (p.masterDownSeconds() * 1000) + 4000);
            Duration echoLife = perRun.plusSeconds(60).multipliedBy((long) runs * modes.size());
            List<String> report = new ArrayList<>();
            try (LabTraffic traffic = LabTraffic.start(lab, echoLife)) {
                for (Failure failure : modes) {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = 1; i <= runs; i++) {
                        Sample s = once(lab, traffic, failure, perRun);
                        System.out.printf("%s #%d: takeover %d ms, outage %d ms%n", failure.label(), i,
                                s.takeoverMillis(), s.outageMillis());
                        samples.add(s);
                    }
                    report.add(summary(failure, samples, masterDownSeconds(lab.daemons().kind(), p),
                            p.advertIntervalSeconds()));
                }
            }
            System.out.printf("%n%s, advbase %d, advskew fw1 %d / fw2 %d%s, %d runs per mode%n", lab.daemons().kind().label(),
                    p.advbase(), p.fw1Advskew(), p.fw2Advskew(), p.unicastPeers() ? ", unicast" : "", runs);
            System.out.printf("%-11s %-26s %-26s %s%n", "failure", "takeover ms min/med/max", "outage ms min/med/max",
                    "protocol floor");
            report.forEach(System.out::println);
            return 0;
        }
    }

    private static Sample once(Lab lab, LabTraffic traffic, Failure failure, Duration perRun) {
        LabTraffic.Probe probe = traffic.probe(Duration.ofMillis(10), perRun.plusSeconds(2)).awaitStarted();
        Namespaces.sleepMillis(1000);
        // a random phase of fw1's advert cycle: the master-down timer of fw2 has run for 0..interval
        long intervalMs = Math.max(1, (long) (lab.profile().advertIntervalSeconds() * 1000));
        Namespaces.sleepMillis(ThreadLocalRandom.current().nextLong(intervalMs));

        long t0 = System.nanoTime();
        switch (failure) {
            case HARD -> {
                lab.daemons().kill(LabNode.FW1);
                lab.topology().setFirewallLinks(LabNode.FW1, false);
            }
            case GRACEFUL -> lab.daemons().terminate(LabNode.FW1);
            case MAINTENANCE -> maintenance(lab, true);
        }
        long takeover = lab.awaitHoldsAll(LabNode.FW2, perRun.plusSeconds(10), Duration.ofMillis(10))
                ? (System.nanoTime() - t0) / 1_000_000 : -1;
        UdpProber.Result r = probe.await();

        switch (failure) {
            case HARD -> lab.recover(LabNode.FW1);
            case GRACEFUL -> {
                lab.daemons().awaitExit(LabNode.FW1, Duration.ofSeconds(10));
                lab.daemons().start(LabNode.FW1);
            }
            case MAINTENANCE -> maintenance(lab, false);
        }
        if (!lab.awaitSoleOwner(LabNode.FW1, Duration.ofSeconds(60))) {
            throw new LabException("fw1 did not become master again; see " + lab.layout().dir());
        }
        Namespaces.sleepMillis(1500);
        return new Sample(takeover, r.longestGapMillis());
    }

    /** {@code carpd maintenance on|off} on fw1, through its control socket like the CLI. */
    private static void maintenance(Lab lab, boolean on) {
        try {
            ControlClient.Response r = new ControlClient(lab.layout().controlSocket(LabNode.FW1))
                    .post("/api/v1/maintenance", "{\"enabled\":" + on + "}");
            if (!r.ok()) {
                throw new LabException("fw1 refused maintenance " + (on ? "on" : "off") + ": " + r.body());
            }
        } catch (IOException e) {
            throw new LabException("fw1's control socket: " + e.getMessage());
        }
    }

    /** The backup's wait after the master's last advert, by the daemon's own formula. */
    static double masterDownSeconds(DaemonKind kind, LabProfile p) {
        return kind == DaemonKind.KEEPALIVED ? KeepalivedConfigWriter.masterDownSeconds(p) : p.masterDownSeconds();
    }

    private static String summary(Failure failure, List<Sample> samples, double masterDown, double interval) {
        String floor = switch (failure) {
            case HARD -> String.format(Locale.ROOT, "master-down %.0f ms after the last advert, failure lands 0-%.0f ms after it",
                    masterDown * 1000, interval * 1000);
            case GRACEFUL -> "~0 with a bow-out advert; master-down without";
            case MAINTENANCE -> "~0: the demoted advert goes out at once";
        };
        return String.format(Locale.ROOT, "%-11s %-26s %-26s %s", failure.label(),
                stats(samples.stream().mapToLong(Sample::takeoverMillis).toArray()),
                stats(samples.stream().mapToLong(Sample::outageMillis).toArray()), floor);
    }

    /** min/median/max; a takeover that never happened (-1) shows as "none". */
    static String stats(long[] values) {
        long[] v = values.clone();
        java.util.Arrays.sort(v);
        if (v[0] < 0) {
            return "none in " + java.util.Arrays.stream(v).filter(x -> x < 0).count() + " run(s)";
        }
        long median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return v[0] + " / " + median + " / " + v[v.length - 1];
    }
}
