package io.carpd.core.api;

/**
 * State sync as the control API sees it. Implemented by carpd-pfsync and handed to the
 * {@link ControlServer} by whoever wires the daemon; absent (null) when the configuration has no
 * {@code sync:} section. Methods are thread-safe and may block briefly while they hop onto the
 * sync event loop.
 */
public interface SyncControl {

    /** A snapshot of the sync link, the peer and the counters. */
    SyncStatus status();

    /**
     * Forces a full resync in both directions: asks the peer for its whole table (states it no
     * longer has are removed when the transfer ends) and sends ours. Throws
     * {@link ControlException.Kind#CONFLICT} while the link to the peer is down.
     */
    void resync();
}
