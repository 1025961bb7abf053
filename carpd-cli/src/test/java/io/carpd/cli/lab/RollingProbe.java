package io.carpd.cli.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * UDP probing for a stretch of unknown length, built from bounded probers: a new one is started
 * every {@code every} while the previous one still runs for {@code length - every}, so every
 * moment is watched by a prober that sees at least {@code length - every - start-up} on both sides
 * of it: any reply gap shorter than that overlap shows whole in some prober's summary, a longer one
 * at least as long as the overlap. Every prober ends on its own; at most {@link #MAX_PROBERS} are
 * started.
 */
final class RollingProbe implements AutoCloseable {

    static final int MAX_PROBERS = 40;

    private final LabTraffic traffic;
    private final Duration interval;
    private final Duration length;
    private final Duration every;
    private final List<LabTraffic.Probe> probes = new CopyOnWriteArrayList<>();
    private final Thread roller;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    private RollingProbe(LabTraffic traffic, Duration interval, Duration length, Duration every) {
        this.traffic = traffic;
        this.interval = interval;
        this.length = length;
        this.every = every;
        this.roller = Thread.ofPlatform().name("rolling-probe").daemon().unstarted(this::roll);
    }

    /** Starts probing; returns once the first prober is sending. */
    static RollingProbe start(LabTraffic traffic, Duration interval, Duration length, Duration every) {
        RollingProbe r = new RollingProbe(traffic, interval, length, every);
        r.probes.add(traffic.probe(interval, length).awaitStarted());
        r.roller.start();
        return r;
    }

    private void roll() {
        try {
            long next = System.nanoTime() + every.toNanos();
            while (probes.size() < MAX_PROBERS) {
                while (!stopping && System.nanoTime() < next) {
                    Namespaces.sleepMillis(20);
                }
                if (stopping) {
                    return;
                }
                next = System.nanoTime() + every.toNanos();
                probes.add(traffic.probe(interval, length).awaitStarted());
            }
            failure = new LabException("still probing after " + MAX_PROBERS + " probers: the watched stretch was not finished");
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops starting probers, waits for the running ones and returns every summary, oldest first. */
    List<UdpProber.Result> finish() {
        stopping = true;
        try {
            roller.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
        if (failure != null) {
            throw failure;
        }
        List<UdpProber.Result> results = new ArrayList<>();
        for (LabTraffic.Probe p : probes) {
            results.add(p.await());
        }
        return results;
    }

    /** Kills probers still running (after a failure); {@link #finish()} is the normal end. */
    @Override
    public void close() {
        stopping = true;
        probes.forEach(p -> p.process().destroyForcibly());
    }
}
