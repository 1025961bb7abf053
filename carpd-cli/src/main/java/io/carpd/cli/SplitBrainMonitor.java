package io.carpd.cli;

import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.SyncStatus;
import io.carpd.core.api.VipStatus;
import io.carpd.core.runtime.Daemon;
import io.carpd.pfsync.link.StateSync;
import io.carpd.pfsync.splitbrain.OwnVhid;
import io.carpd.pfsync.splitbrain.SplitBrain;
import io.carpd.pfsync.splitbrain.SplitBrainChange;
import io.carpd.pfsync.splitbrain.SplitBrainDetector;
import io.carpd.pfsync.wire.VhidState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives the {@link SplitBrainDetector} for {@code carpd run}: every {@link #PERIOD_MS} ms it hands
 * our VHID states to state sync (which sends them when they change and with every keepalive),
 * fetches the peer's latest view and logs each split brain once when confirmed and once when over.
 * Runs on its own thread so neither the election loop nor the sync loop waits for the other.
 */
final class SplitBrainMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SplitBrainMonitor.class);
    static final long PERIOD_MS = 200;

    private final Daemon daemon;
    private final StateSync sync;
    private final SplitBrainDetector detector = new SplitBrainDetector();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "carpd-splitbrain");
        t.setDaemon(true);
        return t;
    });
    private volatile List<SplitBrain> active = List.of();
    private volatile long total;

    SplitBrainMonitor(Daemon daemon, StateSync sync) {
        this.daemon = daemon;
        this.sync = sync;
        timer.scheduleWithFixedDelay(this::check, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            NodeStatus status = daemon.status();
            List<OwnVhid> own = status.vips().stream().map(SplitBrainMonitor::own).toList();
            sync.localVhidStates(own.stream().map(o -> new VhidState(o.iface(), o.vhid(), o.state())).toList());
            List<VhidState> peer = sync.peerVhidStates().get(2, TimeUnit.SECONDS);
            long now = System.nanoTime();
            for (SplitBrainChange c : detector.update(own, peer, now)) {
                SplitBrain b = c.splitBrain();
                switch (c) {
                    case SplitBrainChange.Started s -> log.error(
                            "SPLIT BRAIN: {} vhid {}: both nodes MASTER for {} ms (adverts lost between them; sync link up)",
                            b.iface(), b.vhid(), (now - b.sinceNanos()) / 1_000_000);
                    case SplitBrainChange.Ended e -> log.warn("split brain over: {} vhid {} after {} ms",
                            b.iface(), b.vhid(), e.durationNanos() / 1_000_000);
                }
            }
            active = detector.active();
            total = detector.total();
        } catch (Exception e) {
            log.debug("split-brain check skipped: {}", e.toString());
        }
    }

    private static OwnVhid own(VipStatus v) {
        return new OwnVhid(v.iface(), v.vhid(), v.state(), OwnVhid.advertInterval(v.advbase(), v.advskew()));
    }

    /** Confirmed split brains with their duration so far, for the status. */
    List<SyncStatus.SplitBrain> current() {
        long now = System.nanoTime();
        return active.stream().map(b -> new SyncStatus.SplitBrain(b.iface(), b.vhid(), (now - b.sinceNanos()) / 1e9)).toList();
    }

    /** Whether {@code iface}/{@code vhid} is in a confirmed split brain. */
    boolean inSplitBrain(String iface, int vhid) {
        return active.stream().anyMatch(b -> b.iface().equals(iface) && b.vhid() == vhid);
    }

    /** Split brains confirmed since start. */
    long total() {
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
