package io.carpd.cli.lab;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code carpd lab}: the reference deployment in network namespaces, with two real daemons. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Reference deployment (client, fw1, fw2, server, switch) in network namespaces",
                "on documentation addresses, with two carpd daemons. Needs root."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Fail.class,
                LabCommand.Recover.class, LabCommand.Link.class, LabCommand.Down.class, LabDemo.class,
                FailoverBench.class, SyncBench.class, LabCommand.Echo.class, LabCommand.Probe.class})
public final class LabCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Which lab: by namespace prefix, or by its directory. */
    public static final class Selection {
        @Option(names = "--prefix", defaultValue = "carplab-",
                description = "Namespace name prefix of the lab (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--dir", description = "Lab directory (default: /tmp/carpd-lab/<prefix>).")
        Path dir;

        LabLayout layout() {
            return dir != null ? new LabLayout(dir) : LabLayout.forPrefix(prefix);
        }

        Lab open() {
            requireRoot();
            return Lab.open(layout(), CarpdLauncher.current());
        }
    }

    /** CARP timing of the two firewalls. */
    public static final class ProfileOptions {
        @Option(names = "--advbase", description = "advbase of both firewalls (default 1; 0 with --sub-second).")
        Integer advbase;

        @Option(names = "--fw1-advskew", description = "advskew of fw1 (default 0; 20 with --sub-second).")
        Integer fw1Advskew;

        @Option(names = "--fw2-advskew", description = "advskew of fw2 (default 100; 64 with --sub-second).")
        Integer fw2Advskew;

        // advbase 0: the interval is advskew/256 s and master-down 3 x advskew/256 s (spec §3.2), so
        // fw2 at 64 takes over 0.75 s after fw1's last advert while fw1 advertises every 78 ms.
        @Option(names = "--sub-second", description = "Sub-second profile: advbase 0, fw1 advskew 20, fw2 advskew 64 (master-down 0.75 s).")
        boolean subSecond;

        @Option(names = "--unicast-peers", description = "Configure unicast peers instead of multicast.")
        boolean unicastPeers;

        @Option(names = "--state-sync", description = "carpd only: conntrack state sync over the SYNC link, and both "
                + "firewalls stateful (nftables forward policy drop, new connections only from the LAN, tcp_loose=0).")
        boolean stateSync;

        @Option(names = "--snat", description = "With --state-sync: SNAT LAN traffic leaving the WAN to the WAN VIP.")
        boolean snat;

        @Option(names = "--daemon", defaultValue = "carpd",
                description = "carpd, or for comparison ucarp or keepalived (Debian packages; default: ${DEFAULT-VALUE}).")
        String daemon;

        DaemonKind daemonKind() {
            return switch (daemon) {
                case "carpd" -> DaemonKind.CARPD;
                case "ucarp" -> DaemonKind.UCARP;
                case "keepalived" -> DaemonKind.KEEPALIVED;
                default -> throw new IllegalArgumentException("--daemon must be carpd, ucarp or keepalived, not " + daemon);
            };
        }

        LabProfile profile() {
            int base = advbase != null ? advbase : subSecond ? 0 : 1;
            int skew1 = fw1Advskew != null ? fw1Advskew : subSecond ? 20 : 0;
            int skew2 = fw2Advskew != null ? fw2Advskew : subSecond ? 64 : 100;
            LabProfile p = new LabProfile(base, skew1, skew2, LabProfile.DEFAULT_PASSWORD,
                    LabProfile.DEFAULT_PASSWORD, false);
            p = unicastPeers ? p.withUnicastPeers() : p;
            if (stateSync && daemonKind() != DaemonKind.CARPD) {
                throw new IllegalArgumentException("--state-sync needs --daemon carpd");
            }
            if (snat && !stateSync) {
                throw new IllegalArgumentException("--snat goes with --state-sync");
            }
            return stateSync ? p.withStateSync() : p;
        }
    }

    /**
     * Runs a verb, turning the errors an operator can cause or fix (no lab there, not root, a
     * failed {@code ip} command) into one line on stderr and exit code 1 instead of a stack trace.
     */
    static int guarded(Callable<Integer> verb) {
        try {
            return verb.call();
        } catch (LabException | IllegalArgumentException | UncheckedIOException e) {
            System.err.println("carpd lab: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireRoot() {
        if (!Namespaces.runningAsRoot()) {
            throw new LabException("carpd lab needs root (it creates network namespaces)");
        }
    }

    /** Builds the lab, starts both daemons and waits for the first election. */
    static Lab bringUp(Selection sel, ProfileOptions opts, boolean cleanupOnExit) {
        requireRoot();
        LabLayout layout = sel.layout();
        LabProfile profile = opts.profile();
        DaemonKind daemon = opts.daemonKind();
        System.out.printf("building lab '%s' in %s (%s, advbase %d, advskew fw1 %d / fw2 %d%s)%n", sel.prefix,
                layout.dir(), daemon.label(), profile.advbase(), profile.fw1Advskew(), profile.fw2Advskew(),
                profile.unicastPeers() ? ", unicast peers" : "");
        Lab lab = Lab.create(layout, sel.prefix, profile, daemon, CarpdLauncher.current(), cleanupOnExit);
        if (profile.stateSync()) {
            lab.topology().installStatefulFirewall(opts.snat);
            System.out.println("state sync on the SYNC link; both firewalls stateful" + (opts.snat ? ", SNAT to the WAN VIP" : ""));
        }
        lab.startDaemons();
        System.out.println("daemons started; waiting for the election (logs: " + layout.log(LabNode.FW1)
                + ", " + layout.log(LabNode.FW2) + ")");
        Duration wait = Duration.ofSeconds(30).plusMillis((long) (profile.masterDownSeconds() * 1000));
        if (!lab.awaitSoleOwner(LabNode.FW1, wait)) {
            System.out.println("fw1 does not hold both VIPs after " + wait.toSeconds() + " s:");
        }
        System.out.print(lab.status().render());
        return lab;
    }

    /** Applies {@code action} to the firewall named {@code node} of the selected lab, then prints the status. */
    private static int onFirewall(Selection sel, String node, BiConsumer<Lab, LabNode> action) {
        return guarded(() -> {
            LabNode fw = LabNode.firewall(node);
            Lab lab = sel.open();
            action.accept(lab, fw);
            System.out.print(lab.status().render());
            return 0;
        });
    }

    @Command(name = "up", description = "Build the lab and start both daemons; it keeps running.")
    static final class Up implements Callable<Integer> {
        @Mixin Selection sel;
        @Mixin ProfileOptions opts;

        @Override
        public Integer call() {
            return guarded(() -> {
                Lab lab = bringUp(sel, opts, false);
                System.out.println("inspect: carpd lab status | fail fw1 | recover fw1 | down   (--prefix " + sel.prefix + ")");
                return lab.topology().soleOwner(LabNode.FW1) ? 0 : 1;
            });
        }
    }

    @Command(name = "status", description = "Which firewall holds each VIP, and whether the daemons run.")
    static final class Status implements Callable<Integer> {
        @Mixin Selection sel;

        @Override
        public Integer call() {
            return guarded(() -> {
                System.out.print(sel.open().status().render());
                return 0;
            });
        }
    }

    @Command(name = "fail", description = "Hard failure: kill -9 the firewall's daemon and take its links down.")
    static final class Fail implements Callable<Integer> {
        @Mixin Selection sel;
        @Parameters(paramLabel = "NODE", description = "fw1 or fw2") String node;

        @Override
        public Integer call() {
            return onFirewall(sel, node, Lab::fail);
        }
    }

    @Command(name = "recover", description = "Links up and daemon restarted on a failed firewall.")
    static final class Recover implements Callable<Integer> {
        @Mixin Selection sel;
        @Parameters(paramLabel = "NODE", description = "fw1 or fw2") String node;

        @Override
        public Integer call() {
            return onFirewall(sel, node, Lab::recover);
        }
    }

    @Command(name = "link", description = "Pull or plug a firewall's LAN or WAN cable (its switch port).")
    static final class Link implements Callable<Integer> {
        @Mixin Selection sel;
        @Parameters(index = "0", paramLabel = "NODE", description = "fw1 or fw2") String node;
        @Parameters(index = "1", paramLabel = "SEGMENT", description = "lan or wan") String segment;
        @Parameters(index = "2", paramLabel = "STATE", description = "up or down") String state;

        @Override
        public Integer call() {
            return guarded(this::link);
        }

        private int link() {
            if (!state.equals("up") && !state.equals("down")) {
                throw new IllegalArgumentException("STATE must be up or down, not " + state);
            }
            Segment seg = switch (segment) {
                case "lan" -> Segment.LAN;
                case "wan" -> Segment.WAN;
                default -> throw new IllegalArgumentException("SEGMENT must be lan or wan, not " + segment);
            };
            Lab lab = sel.open();
            lab.topology().setSwitchPort(LabNode.firewall(node), seg, state.equals("up"));
            System.out.print(lab.status().render());
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the daemons and delete every namespace the lab created.")
    static final class Down implements Callable<Integer> {
        @Mixin Selection sel;

        @Override
        public Integer call() {
            return guarded(this::down);
        }

        private int down() {
            Lab lab = sel.open();
            lab.down();
            System.out.println("lab '" + lab.topology().prefix() + "' removed; logs and configs stay in "
                    + lab.layout().dir());
            return 0;
        }
    }

    @Command(name = "echo", hidden = true, description = "UDP echo server (runs inside the server namespace).")
    static final class Echo implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "7") int port;
        @Option(names = "--seconds", defaultValue = "60") int seconds;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("--seconds must be 1..3600");
            }
            long n = new UdpEcho(port, Duration.ofSeconds(seconds)).run();
            System.out.println("echo served " + n + " datagrams");
            return 0;
        }
    }

    @Command(name = "probe", hidden = true, description = "UDP prober (runs inside the client namespace).")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--target", defaultValue = "203.0.113.10") String target;
        @Option(names = "--port", defaultValue = "7") int port;
        @Option(names = "--interval-ms", defaultValue = "10") int intervalMs;
        @Option(names = "--seconds", defaultValue = "10") int seconds;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || seconds > 600 || intervalMs < 1) {
                throw new IllegalArgumentException("--seconds must be 1..600 and --interval-ms at least 1");
            }
            new UdpProber(new InetSocketAddress(target, port), Duration.ofMillis(intervalMs),
                    Duration.ofSeconds(seconds)).run(System.out);
            return 0;
        }
    }
}
