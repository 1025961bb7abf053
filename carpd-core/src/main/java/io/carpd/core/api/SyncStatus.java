package io.carpd.core.api;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshot of state sync for {@code carpd sync status}, the status JSON and metrics.
 *
 * @param iface           sync interface from the configuration
 * @param local           our sync address
 * @param peer            the peer's sync address
 * @param port            sync TCP port
 * @param link            DISCONNECTED, CONNECTED (handshake done, waiting for the peer's bulk),
 *                        BULK_RECEIVING or IN_SYNC
 * @param peerNodeId      the peer's node id from its HELLO (0 before the first handshake)
 * @param protocolVersion negotiated protocol version on the current connection (0 when down)
 * @param syncComplete    the first bulk finished (or timed out) since start: the start-up demotion is gone
 * @param localStates     connections our kernel reported that are synced to the peer
 * @param peerStates      connections learnt from the peer (written into our kernel)
 * @param queuedChanges   local changes waiting to be sent
 * @param unackedFrames   frames sent that the peer has not acknowledged yet
 * @param lagSeconds      age of the oldest unacknowledged frame (0 when the peer is caught up)
 * @param rttSeconds      last keepalive round trip, null before the first sample
 * @param lastBulkReceived the last complete table transfer from the peer, null if none yet
 * @param lastBulkSent    the last complete table transfer to the peer, null if none yet
 * @param sent            frames and bytes sent since start
 * @param received        frames and bytes received since start (including dropped ones)
 * @param drops           inbound frames rejected, by reason (every reason present, zeros included)
 * @param counters        other cumulative counts (connections, resyncs, kernel writes, ...)
 * @param splitBrain      VHIDs both nodes have claimed as MASTER for longer than an advert interval
 */
public record SyncStatus(String iface, String local, String peer, int port, String link, int peerNodeId,
                         int protocolVersion, boolean syncComplete, int localStates, int peerStates,
                         int queuedChanges, long unackedFrames, double lagSeconds, Double rttSeconds,
                         Bulk lastBulkReceived, Bulk lastBulkSent, Traffic sent, Traffic received,
                         Map<String, Long> drops, Map<String, Long> counters, List<SplitBrain> splitBrain) {

    public SyncStatus {
        splitBrain = List.copyOf(splitBrain);
        drops = Collections.unmodifiableMap(new TreeMap<>(drops));
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /** One finished table transfer: when it ended, how long it took, how many states it carried. */
    public record Bulk(Instant endedAt, double durationSeconds, long states) {}

    /** Without split-brain information (no detector running). */
    public SyncStatus(String iface, String local, String peer, int port, String link, int peerNodeId,
                      int protocolVersion, boolean syncComplete, int localStates, int peerStates,
                      int queuedChanges, long unackedFrames, double lagSeconds, Double rttSeconds,
                      Bulk lastBulkReceived, Bulk lastBulkSent, Traffic sent, Traffic received,
                      Map<String, Long> drops, Map<String, Long> counters) {
        this(iface, local, peer, port, link, peerNodeId, protocolVersion, syncComplete, localStates, peerStates,
                queuedChanges, unackedFrames, lagSeconds, rttSeconds, lastBulkReceived, lastBulkSent, sent, received,
                drops, counters, List.of());
    }

    /** A VHID both nodes claim as MASTER, and for how long so far. */
    public record SplitBrain(String iface, int vhid, double seconds) {}

    /** Frame and byte totals of one direction. */
    public record Traffic(long frames, long bytes) {}
}
