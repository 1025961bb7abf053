package io.carpd.pfsync.engine;

import io.carpd.pfsync.wire.FrameCodec;

import java.util.concurrent.TimeUnit;

/**
 * Tunables of the sync engine.
 *
 * @param maxFrameBytes     frame budget; a queue that fills a frame is sent at once
 * @param flushDelayNanos   longest a queued change waits for company (at most 100 ms)
 * @param keepaliveNanos    keepalive interval (also the RTT sampling interval)
 * @param peerTimeoutNanos  silence after which the link is declared dead and closed
 * @param bulkTimeoutNanos  after start, how long the "sync not complete" demotion may hold at most
 * @param demotion          demotion value while sync is not complete (pfsync uses 32)
 * @param bulkFramesPerStep bulk frames produced per step; the driver paces steps by writability
 * @param refreshMarginNanos a local state is re-sent when the peer's copy would expire this much
 *                          earlier than ours (conntrack does not report timeout refreshes)
 */
public record SyncSettings(int maxFrameBytes, long flushDelayNanos, long keepaliveNanos, long peerTimeoutNanos,
                           long bulkTimeoutNanos, int demotion, int bulkFramesPerStep, long refreshMarginNanos) {
    private static final long MAX_FLUSH_DELAY = TimeUnit.MILLISECONDS.toNanos(100);

    public SyncSettings {
        if (maxFrameBytes < 512 || maxFrameBytes > FrameCodec.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("sync frame size " + maxFrameBytes + " out of range 512.." + FrameCodec.MAX_FRAME_BYTES);
        }
        if (flushDelayNanos <= 0 || flushDelayNanos > MAX_FLUSH_DELAY) {
            throw new IllegalArgumentException("sync flush delay must be in (0, 100 ms], is " + flushDelayNanos + " ns");
        }
        if (keepaliveNanos <= 0 || peerTimeoutNanos <= keepaliveNanos) {
            throw new IllegalArgumentException("sync peer timeout must exceed the keepalive interval");
        }
        if (bulkTimeoutNanos <= 0) {
            throw new IllegalArgumentException("sync bulk timeout must be positive");
        }
        if (demotion < 0 || demotion > 255) {
            throw new IllegalArgumentException("sync demotion " + demotion + " out of range 0..255");
        }
        if (bulkFramesPerStep < 1) {
            throw new IllegalArgumentException("bulk frames per step must be at least 1");
        }
        if (refreshMarginNanos < 0) {
            throw new IllegalArgumentException("refresh margin must not be negative");
        }
    }

    /** Defaults with the bulk timeout and demotion of the {@code sync:} configuration section. */
    public static SyncSettings forConfig(io.carpd.core.config.SyncConfig config) {
        return defaults(Math.max(1, config.bulkTimeout().toSeconds()), config.demotion());
    }

    /** 16 KiB frames, 50 ms flush, 1 s keepalive, 3 s peer timeout, bulk timeout and demotion as given. */
    public static SyncSettings defaults(long bulkTimeoutSeconds, int demotion) {
        return new SyncSettings(16 * 1024, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(1),
                TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(bulkTimeoutSeconds), demotion, 16,
                TimeUnit.SECONDS.toNanos(30));
    }
}
