package io.carpd.pfsync.engine;

/**
 * Snapshot of the link for status output and metrics.
 *
 * @param rttNanos        last measured round-trip time, -1 before the first sample
 * @param unackedFrames   frames sent on this connection that the peer has not acknowledged yet
 * @param queuedChanges   states waiting in the coalescing queue
 * @param syncComplete    the first bulk transfer finished (or timed out) since start
 * @param lagNanos        age of the oldest frame the peer has not acknowledged (0 when caught up)
 * @param lastBulkReceived the last complete bulk from the peer, null before the first
 * @param lastBulkSent    the last complete bulk to the peer, null before the first
 */
public record PeerStatus(PeerState state, int peerNodeId, long rttNanos, long unackedFrames, int queuedChanges,
                         int localStates, int peerStates, boolean syncComplete, long lagNanos,
                         BulkInfo lastBulkReceived, BulkInfo lastBulkSent) {}
