package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The carpd daemons of the two lab firewalls: started detached inside their namespaces, found
 * again through pid files (checked against {@code /proc/PID/cmdline}, so a recycled pid is never
 * signalled), stopped or killed.
 */
public final class LabDaemons {

    private final LabLayout layout;
    private final Topology topology;
    private final CarpdLauncher launcher;

    public LabDaemons(LabLayout layout, Topology topology, CarpdLauncher launcher) {
        this.layout = layout;
        this.topology = topology;
        this.launcher = launcher;
    }

    /** Starts {@code carpd run -c <fw>.yaml} in the firewall's namespace; returns its pid. */
    public long start(LabNode fw) {
        if (process(fw).isPresent()) {
            throw new LabException(fw.label() + "'s daemon is already running (pid " + process(fw).get().pid() + ")");
        }
        Path cfg = layout.config(fw);
        List<String> argv = launcher.command(List.of("run", "-c", cfg.toString()));
        Process p = Namespaces.spawn(topology.ns(fw), argv, layout.log(fw));
        try {
            Files.writeString(layout.pidFile(fw), Long.toString(p.pid()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException("cannot write " + layout.pidFile(fw), e);
        }
        return p.pid();
    }

    /** The running daemon of {@code fw}, if any. */
    public Optional<ProcessHandle> process(LabNode fw) {
        Path pidFile = layout.pidFile(fw);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        String cfg = layout.config(fw).toString();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> commandLine(pid).contains(cfg));
    }

    public boolean alive(LabNode fw) {
        return process(fw).isPresent();
    }

    /** SIGKILL: the daemon gets no chance to bow out or remove its addresses. */
    public void kill(LabNode fw) {
        process(fw).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM: a graceful stop (bow-out advert, addresses removed). */
    public void terminate(LabNode fw) {
        process(fw).ifPresent(ProcessHandle::destroy);
    }

    /** Waits until the daemon has exited; false if it still runs after {@code timeout}. */
    public boolean awaitExit(LabNode fw, Duration timeout) {
        Optional<ProcessHandle> h = process(fw);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.get().isAlive();
        } catch (ExecutionException e) {
            return !h.get().isAlive();
        }
    }

    /** Stops the daemon: SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(LabNode fw, Duration grace) {
        terminate(fw);
        if (!awaitExit(fw, grace)) {
            kill(fw);
            awaitExit(fw, Duration.ofSeconds(5));
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
