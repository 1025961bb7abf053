package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client-to-server UDP traffic through both VIPs: an echo server in the server namespace and
 * probers in the client namespace, each a bounded {@code carpd lab echo|probe} process.
 */
public final class LabTraffic implements AutoCloseable {

    public static final int PORT = 7;

    private final Lab lab;
    private final Process echo;
    private final AtomicInteger probes = new AtomicInteger();

    private LabTraffic(Lab lab, Process echo) {
        this.lab = lab;
        this.echo = echo;
    }

    /**
     * Starts the echo server and waits until it listens (a prober started earlier would count the
     * echo's start-up as an outage). It exits on its own after {@code lifetime}.
     */
    public static LabTraffic start(Lab lab, Duration lifetime) {
        Process echo = lab.spawn(LabNode.SERVER, List.of("lab", "echo", "--port", Integer.toString(PORT),
                "--seconds", Long.toString(Math.max(1, lifetime.toSeconds()))), lab.layout().log(LabNode.SERVER));
        String server = lab.topology().ns(LabNode.SERVER);
        boolean listening = Lab.await(() -> !Namespaces.exec(server, "ss", "-H", "-u", "-l", "-n", "sport = :" + PORT)
                .isBlank(), Duration.ofSeconds(30), Duration.ofMillis(100));
        if (!listening) {
            echo.destroyForcibly();
            throw new LabException("UDP echo in " + server + " is not listening on port " + PORT + " after 30 s; see "
                    + lab.layout().log(LabNode.SERVER));
        }
        return new LabTraffic(lab, echo);
    }

    /** A prober sending every {@code interval} for {@code duration}. */
    public Probe probe(Duration interval, Duration duration) {
        Path log = lab.layout().probeLog(probes.incrementAndGet());
        try {
            // the summary and the start line are read back from this file: never from an older prober
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove old " + log, e);
        }
        Process p = lab.spawn(LabNode.CLIENT, List.of("lab", "probe", "--target", Topology.serverAddress(),
                "--port", Integer.toString(PORT), "--interval-ms", Long.toString(interval.toMillis()),
                "--seconds", Long.toString(Math.max(1, duration.toSeconds()))), log);
        return new Probe(p, log, duration);
    }

    /** A running prober and the file it reports to. */
    public record Probe(Process process, Path log, Duration duration) {

        /** Waits for the prober to finish and returns its summary. */
        public UdpProber.Result await() {
            try {
                if (!process.waitFor(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new LabException("prober did not finish; see " + log);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the prober", e);
            }
            return lines().stream().filter(l -> l.startsWith("probe ")).reduce((a, b) -> b)
                    .map(UdpProber.Result::parse)
                    .orElseThrow(() -> new LabException("prober printed no summary; see " + log));
        }

        /** Waits (bounded) until the prober JVM is up and sending. */
        public Probe awaitStarted() {
            if (!Lab.await(() -> lines().contains("probe started"), Duration.ofSeconds(30), Duration.ofMillis(50))) {
                throw new LabException("prober did not start; see " + log);
            }
            return this;
        }

        /** Everything the prober printed so far. */
        public List<String> lines() {
            try {
                return Files.exists(log) ? Files.readAllLines(log) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log, e);
            }
        }
    }

    @Override
    public void close() {
        echo.destroy();
    }
}
