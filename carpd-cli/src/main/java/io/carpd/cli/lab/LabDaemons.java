package io.carpd.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The CARP/VRRP daemons of the two lab firewalls: started detached inside their namespaces and
 * found again by looking for processes in the firewall's namespace whose command line names the
 * lab directory, so a later {@code carpd lab} invocation (or a recycled pid) never signals a
 * stranger.
 */
public final class LabDaemons {

    private final LabLayout layout;
    private final Topology topology;
    private final CarpdLauncher launcher;
    private final DaemonKind kind;
    private final LabProfile profile;

    public LabDaemons(LabLayout layout, Topology topology, CarpdLauncher launcher, DaemonKind kind,
                      LabProfile profile) {
        this.layout = layout;
        this.topology = topology;
        this.launcher = launcher;
        this.kind = kind;
        this.profile = profile;
    }

    public DaemonKind kind() {
        return kind;
    }

    /** Starts the firewall's daemon process(es) with output appended to {@code <fw>.log}. */
    public void start(LabNode fw) {
        List<ProcessHandle> running = processes(fw);
        if (!running.isEmpty()) {
            throw new LabException(fw.label() + "'s daemon is already running (pid " + running.getFirst().pid() + ")");
        }
        for (List<String> argv : kind.commands(layout, fw, profile, launcher)) {
            Namespaces.spawn(topology.ns(fw), argv, layout.log(fw));
        }
    }

    /** The firewall's daemon processes (keepalived forks a child, ucarp runs one per VHID). */
    public List<ProcessHandle> processes(LabNode fw) {
        String marker = layout.dir().toString();
        return Namespaces.pids(topology.ns(fw)).stream()
                .filter(pid -> commandLine(pid).contains(marker))
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    public boolean alive(LabNode fw) {
        return !processes(fw).isEmpty();
    }

    /** SIGKILL to everything in the firewall's namespace: no bow-out, addresses left behind. */
    public void kill(LabNode fw) {
        Namespaces.killAll(topology.ns(fw));
    }

    /** SIGTERM to the daemons' top processes: a graceful stop. */
    public void terminate(LabNode fw) {
        List<ProcessHandle> procs = processes(fw);
        procs.stream()
                .filter(p -> p.parent().map(parent -> !procs.contains(parent)).orElse(true))
                .forEach(ProcessHandle::destroy);
    }

    /** Waits until no daemon process of {@code fw} is left; false if one still runs after {@code timeout}. */
    public boolean awaitExit(LabNode fw, Duration timeout) {
        return Lab.await(() -> !alive(fw), timeout, Duration.ofMillis(20));
    }

    /** Stops the daemons: SIGTERM, then SIGKILL if they have not exited within {@code grace}. */
    public void stop(LabNode fw, Duration grace) {
        if (!Namespaces.exists(topology.ns(fw))) {
            return;
        }
        terminate(fw);
        if (!awaitExit(fw, grace)) {
            kill(fw);
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
