package io.carpd.pfsync.control;

import io.carpd.core.api.ControlException;
import io.carpd.core.api.SyncControl;
import io.carpd.core.api.SyncStatus;
import io.carpd.core.config.SyncConfig;
import io.carpd.pfsync.engine.BulkInfo;
import io.carpd.pfsync.engine.PeerStatus;
import io.carpd.pfsync.link.StateSync;
import io.carpd.pfsync.link.SyncSnapshot;
import io.carpd.pfsync.wire.FrameDrop;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link SyncControl} of a running {@link StateSync}. */
public final class StateSyncControl implements SyncControl {
    private static final long CALL_TIMEOUT_SECONDS = 5;

    private final StateSync sync;
    private final SyncConfig config;
    private final Supplier<List<SyncStatus.SplitBrain>> splitBrains;

    public StateSyncControl(StateSync sync, SyncConfig config) {
        this(sync, config, List::of);
    }

    /** With {@code splitBrains} reporting the split brains a detector currently sees. */
    public StateSyncControl(StateSync sync, SyncConfig config, Supplier<List<SyncStatus.SplitBrain>> splitBrains) {
        this.sync = sync;
        this.config = config;
        this.splitBrains = splitBrains;
    }

    @Override
    public SyncStatus status() {
        return toStatus(snapshot(), System.nanoTime(), Instant.now());
    }

    /** The raw snapshot (for metrics), waiting at most a few seconds for the sync loop. */
    SyncSnapshot snapshot() {
        return await(sync.snapshot(), "status");
    }

    @Override
    public void resync() {
        if (!await(sync.resync(), "resync")) {
            throw new ControlException(ControlException.Kind.CONFLICT, "the sync link to "
                    + config.peer().getHostAddress() + " is down; a full resync happens when it comes back");
        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ControlException.Kind.FAILED, "interrupted", e);
        } catch (ExecutionException e) {
            throw new ControlException(ControlException.Kind.FAILED, "sync " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ControlException(ControlException.Kind.FAILED, "the sync event loop did not answer within "
                    + CALL_TIMEOUT_SECONDS + " s", e);
        }
    }

    SyncStatus toStatus(SyncSnapshot s, long nowNanos, Instant now) {
        PeerStatus p = s.status();
        Map<String, Long> drops = new LinkedHashMap<>();
        s.drops().forEach((reason, n) -> drops.put(reason.label(), n));
        return new SyncStatus(config.iface(), config.local().getHostAddress(), config.peer().getHostAddress(), config.port(),
                p.state().name(), p.peerNodeId(), s.protocolVersion(), p.syncComplete(), p.localStates(), p.peerStates(),
                p.queuedChanges(), p.unackedFrames(), p.lagNanos() / 1e9, p.rttNanos() < 0 ? null : p.rttNanos() / 1e9,
                bulk(p.lastBulkReceived(), nowNanos, now), bulk(p.lastBulkSent(), nowNanos, now),
                new SyncStatus.Traffic(s.framesSent(), s.bytesSent()),
                new SyncStatus.Traffic(s.framesReceived(), s.bytesReceived()), drops, s.counters(), splitBrains.get());
    }

    private static SyncStatus.Bulk bulk(BulkInfo b, long nowNanos, Instant now) {
        return b == null ? null
                : new SyncStatus.Bulk(now.minusNanos(nowNanos - b.endedAtNanos()), b.durationNanos() / 1e9, b.states());
    }

    /** Frames rejected because their MAC did not verify: a wrong key or a forger on the sync link. */
    static long authFailures(SyncSnapshot s) {
        return s.drops().get(FrameDrop.BAD_MAC);
    }
}
