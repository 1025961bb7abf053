package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's conntrackd on both firewalls, the reference for carpd's state sync: FTFW over UDP on the
 * SYNC link with the external cache disabled, so the BACKUP writes every state straight into its
 * kernel as carpd does, and netlink buffers as large as carpd's (16 MiB, growing to 64 MiB) so it
 * should lose no events. Nothing moves the VIPs: they are put on fw1 by hand, as keepalived would,
 * so traffic takes the same path as with carpd. conntrackd gives itself the real-time round-robin
 * policy by default; with {@code normalPriority} it is put back to SCHED_OTHER after start, as
 * carpd's JVMs run.
 */
record ConntrackdSyncDaemons(boolean normalPriority) implements SyncDaemons {

    private static final int PORT = 3780;
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Pattern OVERRUNS = Pattern.compile("netlink overrun:\\s+(\\d+)");
    private static final Pattern INJECT_FAILED = Pattern.compile(
            "external inject:\\s*connections created:\\s+\\d+\\s+failed:\\s+(\\d+)");
    private static final Pattern LOST = Pattern.compile("(\\d+) Lost msgs");

    @Override
    public String label() {
        return normalPriority ? "conntrackd (SCHED_OTHER)" : "conntrackd";
    }

    @Override
    public LabProfile profile() {
        return LabProfile.reference();
    }

    @Override
    public void start(Lab lab) {
        for (LabVip vip : LabVip.values()) {
            Namespaces.ip(lab.topology().ns(LabNode.FW1), "addr", "add", vip.cidr(), "dev", vip.iface());
        }
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Path conf = writeConfig(lab.layout(), fw);
            Namespaces.spawn(lab.topology().ns(fw), List.of("conntrackd", "-C", conf.toString()), lab.layout().log(fw));
        }
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            if (!Lab.await(() -> stats(lab, fw, "").ok(), READY, Duration.ofMillis(200))) {
                throw new LabException("conntrackd on " + fw.label() + " does not answer after " + READY.toSeconds()
                        + " s; see " + lab.layout().log(fw));
            }
        }
        if (normalPriority) {
            for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
                for (ProcessHandle p : processes(lab, fw)) {
                    Namespaces.run(List.of("chrt", "--other", "-p", "0", Long.toString(p.pid())));
                }
            }
        }
        // FTFW says hello over the link before the first state goes out
        Namespaces.sleepMillis(2000);
    }

    @Override
    public List<ProcessHandle> processes(Lab lab, LabNode fw) {
        // the daemon's command line ends with its config; a 'conntrackd -C CONF -s' query does not
        String daemon = "conntrackd -C " + config(lab.layout(), fw);
        return Namespaces.pids(lab.topology().ns(fw)).stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .filter(p -> p.info().commandLine().orElse("").endsWith(daemon))
                .toList();
    }

    @Override
    public List<String> losses(Lab lab) {
        List<String> out = new ArrayList<>();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            String runtime = stats(lab, fw, "runtime").stdout();
            String general = stats(lab, fw, "").stdout();
            out.add(String.format("%s: %s netlink overrun(s), %d buffer doubling(s) logged, %s failed injection(s), %s lost sync message(s)",
                    fw.label(), first(OVERRUNS, runtime), logLines(lab.layout(), fw, "doubled"),
                    first(INJECT_FAILED, general), first(LOST, general)));
        }
        return out;
    }

    @Override
    public long overruns(Lab lab, LabNode fw) {
        String n = first(OVERRUNS, stats(lab, fw, "runtime").stdout());
        if (n.equals("?")) {
            throw new LabException("conntrackd on " + fw.label() + " reports no netlink overrun count; see " + lab.layout().log(fw));
        }
        return Long.parseLong(n);
    }

    /** {@code conntrackd -s [what]} against the firewall's daemon. */
    private static Namespaces.Result stats(Lab lab, LabNode fw, String what) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.topology().ns(fw), "conntrackd", "-C",
                config(lab.layout(), fw).toString(), "-s"));
        if (!what.isEmpty()) {
            argv.add(what);
        }
        return Namespaces.tryRun(argv, null);
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : "?";
    }

    static Path config(LabLayout layout, LabNode fw) {
        return layout.dir().resolve(fw.label()).resolve("conntrackd.conf");
    }

    static Path daemonLog(LabLayout layout, LabNode fw) {
        return layout.dir().resolve(fw.label() + "-conntrackd.log");
    }

    /**
     * The conntrackd configuration every comparison uses: FTFW over UDP on the SYNC link, states
     * written straight into the kernel (no external cache, like carpd), big netlink buffers, the
     * link's own addresses ignored. {@code startupResync}: ask the peer for its table at start.
     */
    public static String configText(String name, String me, String peer, String iface, Path log, Path dir, boolean startupResync) {
        return """
                # carpd benchmarks: conntrackd on %1$s (generated)
                Sync {
                  Mode FTFW {
                    DisableExternalCache on
                    ResendQueueSize 262144
                    StartupResync %8$s
                  }
                  UDP {
                    IPv4_address %2$s
                    IPv4_Destination_Address %3$s
                    Port %4$d
                    Interface %5$s
                    SndSocketBuffer 24985600
                    RcvSocketBuffer 24985600
                    Checksum on
                  }
                }
                General {
                  HashSize 65536
                  HashLimit 524288
                  LogFile %6$s
                  Syslog off
                  LockFile %7$s/conntrackd.lock
                  UNIX { Path %7$s/conntrackd.sock }
                  NetlinkBufferSize 16777216
                  NetlinkBufferSizeMaxGrowth 67108864
                  Filter From Userspace {
                    Protocol Accept { TCP UDP ICMP }
                    Address Ignore {
                      IPv4_address 127.0.0.1
                      IPv4_address %2$s
                      IPv4_address %3$s
                    }
                  }
                }
                """.formatted(name, me, peer, PORT, iface, log, dir, startupResync ? "on" : "off");
    }

    private static Path writeConfig(LabLayout layout, LabNode fw) {
        Path dir = layout.dir().resolve(fw.label());
        String me = Topology.address(fw, Segment.SYNC);
        String peer = Topology.address(fw.other(), Segment.SYNC);
        String conf = configText(fw.label(), me, peer, Segment.SYNC.iface(), daemonLog(layout, fw), dir, false);
        try {
            Files.createDirectories(dir);
            // conntrackd appends: an earlier lab's lines would be counted as this one's
            Files.deleteIfExists(daemonLog(layout, fw));
            Path p = config(layout, fw);
            Files.writeString(p, conf);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write conntrackd config under " + dir, e);
        }
    }

    private static long logLines(LabLayout layout, LabNode fw, String text) {
        Path log = daemonLog(layout, fw);
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
