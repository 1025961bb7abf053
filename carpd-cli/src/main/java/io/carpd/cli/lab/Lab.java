package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running lab: the topology, the two firewalls' configs and daemons, and the failure injections
 * of {@code carpd lab}. Everything created is recorded in the lab directory first, so
 * {@link #down()} — from this process or a later one — removes all of it.
 */
public final class Lab implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** The one state gauge at 1 per VHID, e.g. {@code carpd_vip_state{interface="lan",state="MASTER",vhid="2"} 1.0}. */
    private static final Pattern VIP_STATE = Pattern.compile(
            "^carpd_vip_state\\{(?=[^}]*state=\"(\\w+)\")(?=[^}]*vhid=\"(\\d+)\")[^}]*\\}\\s+1(?:\\.0)?\\s*$",
            Pattern.MULTILINE);

    private final LabLayout layout;
    private final LabRecord record;
    private final Topology topology;
    private final LabDaemons daemons;
    private final CarpdLauncher launcher;
    private Thread cleanupHook;

    private Lab(LabLayout layout, LabRecord record, CarpdLauncher launcher) {
        this.layout = layout;
        this.record = record;
        this.topology = new Topology(record.prefix());
        this.daemons = new LabDaemons(layout, topology, launcher, record.daemon(), record.profile());
        this.launcher = launcher;
    }

    /**
     * Builds the topology and writes both configs; daemons are not started yet. With
     * {@code cleanupOnExit} a JVM shutdown hook tears the lab down if {@link #close()} never ran.
     */
    public static Lab create(LabLayout layout, String prefix, LabProfile profile, DaemonKind daemon,
                             CarpdLauncher launcher, boolean cleanupOnExit) {
        if (Files.exists(layout.stateFile())) {
            throw new LabException("a lab is already recorded in " + layout.dir()
                    + "; tear it down first (carpd lab down --dir " + layout.dir() + ")");
        }
        Topology t = new Topology(prefix);
        for (LabNode n : LabNode.values()) {
            if (Namespaces.exists(t.ns(n))) {
                throw new LabException("namespace " + t.ns(n) + " already exists; choose another --prefix");
            }
        }
        try {
            Files.createDirectories(layout.dir());
            try (var files = Files.list(layout.dir())) {
                for (Path f : files.filter(layout::isLog).toList()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare lab directory " + layout.dir(), e);
        }
        Lab lab = new Lab(layout, LabRecord.create(layout.stateFile(), prefix, profile, daemon), launcher);
        if (cleanupOnExit) {
            lab.cleanupHook = new Thread(lab::downQuietly, "carpd-lab-cleanup");
            Runtime.getRuntime().addShutdownHook(lab.cleanupHook);
        }
        try {
            t.build(lab.record::addNamespace);
            for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
                daemon.writeFiles(layout, fw, profile);
            }
        } catch (RuntimeException e) {
            lab.downQuietly();
            throw e;
        }
        return lab;
    }

    /** The lab recorded in {@code layout} by an earlier {@link #create}. */
    public static Lab open(LabLayout layout, CarpdLauncher launcher) {
        return new Lab(layout, LabRecord.read(layout.stateFile()), launcher);
    }

    public LabLayout layout() {
        return layout;
    }

    public Topology topology() {
        return topology;
    }

    public LabDaemons daemons() {
        return daemons;
    }

    public LabProfile profile() {
        return record.profile();
    }

    /**
     * Runs another {@code carpd} subcommand (the UDP echo or prober) inside {@code node}'s
     * namespace, output appended to {@code log}. It dies with the namespace at {@link #down()}.
     */
    public Process spawn(LabNode node, List<String> carpdArgs, Path log) {
        return Namespaces.spawn(topology.ns(node), launcher.command(carpdArgs), log);
    }

    /** Starts both daemons (those not already running). */
    public void startDaemons() {
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            if (!daemons.alive(fw)) {
                daemons.start(fw);
            }
        }
    }

    public LabStatus status() {
        Map<LabNode, List<Long>> pids = new EnumMap<>(LabNode.class);
        Map<LabNode, Map<Integer, String>> states = new EnumMap<>(LabNode.class);
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            pids.put(fw, daemons.processes(fw).stream().map(ProcessHandle::pid).toList());
            if (!pids.get(fw).isEmpty()) {
                states.put(fw, carpStates(fw));
            }
        }
        return new LabStatus(daemons.kind(), topology.vipHolders(), pids, states);
    }

    /** Hard failure: SIGKILL the daemon, then take the firewall's links down (a dead box). */
    public void fail(LabNode fw) {
        daemons.kill(fw);
        daemons.awaitExit(fw, Duration.ofSeconds(5));
        topology.setFirewallLinks(fw, false);
    }

    /** Undoes {@link #fail}: links up, daemon started again. */
    public void recover(LabNode fw) {
        topology.setFirewallLinks(fw, true);
        if (!daemons.alive(fw)) {
            daemons.start(fw);
        }
    }

    /**
     * Stops the daemons, deletes every recorded namespace and the record. Logs and configs stay in
     * the lab directory for inspection.
     */
    public void down() {
        List<RuntimeException> failures = new ArrayList<>();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            try {
                daemons.stop(fw, STOP_GRACE);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        List<String> names = new ArrayList<>(record.namespaces());
        for (LabNode n : LabNode.values()) {
            if (!names.contains(topology.ns(n))) {
                names.add(topology.ns(n));
            }
        }
        for (String ns : names.reversed()) {
            try {
                Namespaces.delete(ns);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (failures.isEmpty()) {
            record.delete();
        } else {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public void close() {
        try {
            down();
        } finally {
            if (cleanupHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanupHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it finds nothing left to do
                }
            }
        }
    }

    /** The firewall daemon's Prometheus exposition, read from its control socket (carpd only). */
    public String metrics(LabNode fw) {
        return ControlSocketClient.get(layout.controlSocket(fw), "/metrics");
    }

    /**
     * Each VHID's CARP state as {@code fw}'s carpd reports it (from its metrics); empty for the
     * comparison daemons or while the control socket is not up.
     */
    public Map<Integer, String> carpStates(LabNode fw) {
        Map<Integer, String> states = new TreeMap<>();
        if (daemons.kind() != DaemonKind.CARPD) {
            return states;
        }
        String metrics;
        try {
            metrics = metrics(fw);
        } catch (LabException | UncheckedIOException notUp) {
            return states;
        }
        Matcher m = VIP_STATE.matcher(metrics);
        while (m.find()) {
            states.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        return states;
    }

    /** Waits until {@code fw} holds every VIP (its peer may still hold some). */
    public boolean awaitHoldsAll(LabNode fw, Duration timeout, Duration every) {
        return await(() -> topology.holdsAll(fw), timeout, every);
    }

    /** Waits until {@code fw} alone holds every VIP. */
    public boolean awaitSoleOwner(LabNode fw, Duration timeout) {
        return await(() -> topology.soleOwner(fw), timeout, Duration.ofMillis(50));
    }

    /** Waits until a line of {@code fw}'s daemon log matches {@code pattern}. */
    public boolean awaitLog(LabNode fw, Pattern pattern, Duration timeout) {
        return await(() -> logMatches(fw, pattern), timeout, Duration.ofMillis(100));
    }

    /** Whether a line of {@code fw}'s daemon log matches {@code pattern}. */
    public boolean logMatches(LabNode fw, Pattern pattern) {
        Path log = layout.log(fw);
        try {
            return Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> pattern.matcher(l).find());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Polls {@code condition} every {@code every} until it holds or {@code timeout} passes. */
    public static boolean await(BooleanSupplier condition, Duration timeout, Duration every) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Namespaces.sleepMillis(every.toMillis());
        }
    }

    private void downQuietly() {
        try {
            down();
        } catch (RuntimeException e) {
            System.err.println("carpd lab: cleanup incomplete: " + e.getMessage());
        }
    }
}
