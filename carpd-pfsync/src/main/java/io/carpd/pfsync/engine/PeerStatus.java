package io.carpd.pfsync.engine;

/**
 * Snapshot of the link for status output and metrics.
 *
 * @param rttNanos        last measured round-trip time, -1 before the first sample
 * @param unackedFrames   frames sent on this connection that the peer has not acknowledged yet
 * @param queuedChanges   states waiting in the coalescing queue
 * @param syncComplete    the first bulk transfer finished (or timed out) since start
 */
public record PeerStatus(PeerState state, int peerNodeId, long rttNanos, long unackedFrames, int queuedChanges,
                         int localStates, int peerStates, boolean syncComplete) {}
