package io.carpd.cli.lab;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code carpd lab demo}: builds the lab, sends UDP through both VIPs, kills fw1 hard, shows fw2
 * taking over and the outage the client saw, brings fw1 back (it preempts), stops it gracefully
 * (bow-out: fw2 takes over at once) and starts it again, then tears everything down — or, with
 * {@code --keep}, leaves the lab running for {@code status/fail/recover/down}.
 */
@Command(name = "demo", description = "Build the lab and show a live failover and recovery.")
public final class LabDemo implements Callable<Integer> {

    @Mixin LabCommand.Selection sel;
    @Mixin LabCommand.ProfileOptions opts;

    @Option(names = "--keep", description = "Leave the lab running afterwards (remove it with 'carpd lab down').")
    boolean keep;

    @Override
    public Integer call() {
        return LabCommand.guarded(this::demo);
    }

    private int demo() {
        Lab lab = LabCommand.bringUp(sel, opts, !keep);
        try {
            return show(lab);
        } finally {
            if (keep) {
                System.out.println("\nlab left running: carpd lab status|fail fw1|recover fw1|down --prefix "
                        + sel.prefix);
            } else {
                System.out.println("\ntearing the lab down (use --keep to leave it running)");
                lab.close();
            }
        }
    }

    /** SIGTERM to fw1: its bow-out advert lets fw2 take over at once; then fw1 starts again. */
    private static boolean gracefulStop(Lab lab, LabTraffic traffic) {
        System.out.println("\n>>> fw1 is stopped gracefully (SIGTERM): it sends a bow-out advert and removes its VIPs");
        LabTraffic.Probe probe = traffic.probe(Duration.ofMillis(10), Duration.ofSeconds(5)).awaitStarted();
        Namespaces.sleepMillis(1000);
        long t0 = System.nanoTime();
        lab.daemons().terminate(LabNode.FW1);
        boolean took = lab.awaitHoldsAll(LabNode.FW2, Duration.ofSeconds(10), Duration.ofMillis(10));
        System.out.printf(took ? "fw2 holds both VIPs %d ms after the signal (no master-down wait)%n"
                : "fw2 did not take over within %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        UdpProber.Result r = probe.await();
        System.out.printf("client saw %d of %d replies; longest outage %d ms%n", r.received(), r.sent(),
                r.longestGapMillis());
        lab.daemons().awaitExit(LabNode.FW1, Duration.ofSeconds(10));
        lab.daemons().start(LabNode.FW1);
        boolean back = lab.awaitSoleOwner(LabNode.FW1, Duration.ofSeconds(30));
        System.out.print(lab.status().render());
        return took && back;
    }

    private int show(Lab lab) {
        if (!lab.topology().soleOwner(LabNode.FW1)) {
            System.out.println("fw1 is not the master of both VIPs; see the daemon logs in " + lab.layout().dir());
            return 1;
        }
        LabProfile profile = lab.profile();
        double floor = profile.masterDownSeconds();
        Duration window = Duration.ofMillis((long) (floor * 1000) + 6000);
        try (LabTraffic traffic = LabTraffic.start(lab, window.plusSeconds(60))) {
            System.out.println("\nclient " + Topology.clientAddress() + " -> server " + Topology.serverAddress()
                    + ": UDP every 10 ms through the LAN and WAN VIPs");
            LabTraffic.Probe probe = traffic.probe(Duration.ofMillis(10), window).awaitStarted();
            Namespaces.sleepMillis(1500);

            System.out.println("\n>>> fw1 fails hard: kill -9 of its daemon, all its links down");
            long t0 = System.nanoTime();
            lab.fail(LabNode.FW1);
            boolean took = lab.awaitSoleOwner(LabNode.FW2, window);
            long takeoverMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(took ? "fw2 holds both VIPs %d ms after the failure (it waits master-down, %.2f s after"
                    + " fw1's last advert: 3 x advbase + advskew/256)%n"
                    : "fw2 did not take over within %d ms (master-down %.2f s)%n", takeoverMs, floor);
            System.out.print(lab.status().render());
            UdpProber.Result r = probe.await();
            System.out.printf("client saw %d of %d replies; longest outage %d ms%n", r.received(), r.sent(),
                    r.longestGapMillis());

            System.out.println("\n>>> fw1 comes back: links up, daemon restarted; with preempt it takes the VIPs back");
            LabTraffic.Probe back = traffic.probe(Duration.ofMillis(10), Duration.ofSeconds(12));
            long t1 = System.nanoTime();
            lab.recover(LabNode.FW1);
            boolean returned = lab.awaitSoleOwner(LabNode.FW1, Duration.ofSeconds(30));
            System.out.printf(returned ? "fw1 is master again %d ms after its restart began%n"
                    : "fw1 did not take the VIPs back within %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            System.out.print(lab.status().render());
            UdpProber.Result rb = back.await();
            System.out.printf("client saw %d of %d replies during the return; longest outage %d ms%n",
                    rb.received(), rb.sent(), rb.longestGapMillis());
            return took && returned && gracefulStop(lab, traffic) ? 0 : 1;
        }
    }
}
