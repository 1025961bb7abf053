package io.carpd.pfsync.engine;

import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.wire.SyncRecord;
import io.carpd.pfsync.wire.VhidState;

import java.util.Collection;
import java.util.List;

/** Inputs of the {@link SyncEngine}. */
public sealed interface SyncEvent {

    /** The daemon starts: the "sync not complete" demotion is raised until a bulk is done or times out. */
    record Start() implements SyncEvent {}

    /** The local kernel created or changed a connection (possibly a partial update). */
    record LocalUpsert(ConnState state) implements SyncEvent {}

    /** The local kernel destroyed a connection. */
    record LocalDestroy(ConnKey key) implements SyncEvent {}

    /**
     * A full dump of the local table (after an event overrun, or periodically for refreshes),
     * started at monotonic time {@code startedAt}: changes the engine saw after that are newer
     * than the dump and win over it.
     */
    record LocalDump(Collection<ConnState> states, long startedAt) implements SyncEvent {}

    /**
     * The local CARP view changed (complete list of our VHIDs): sent to the peer at once and with
     * every keepalive afterwards, for its split-brain detection.
     */
    record LocalVhidStates(List<VhidState> states) implements SyncEvent {
        public LocalVhidStates {
            states = List.copyOf(states);
        }
    }

    /** The sync connection completed its handshake with peer {@code peerNodeId}. */
    record Connected(int peerNodeId) implements SyncEvent {}

    /** The sync connection is gone (closed, failed, or closed by us). */
    record Disconnected(String reason) implements SyncEvent {}

    /** An authenticated in-order frame arrived. */
    record FrameReceived(long seq, List<SyncRecord> records) implements SyncEvent {}

    /**
     * The operator forces a full resync: the peer is asked for its whole table and ours is sent
     * again. Ignored while disconnected (every connection starts with both bulks anyway).
     */
    record Resync() implements SyncEvent {}

    /** The deadline of the last {@link SyncAction.ArmTimer} passed. */
    record Tick() implements SyncEvent {}
}
