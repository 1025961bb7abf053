package io.carpd.pfsync.engine;

import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.wire.SyncRecord;

import java.util.List;

/** Outputs of the {@link SyncEngine}, performed by the driver in order. */
public sealed interface SyncAction {

    /** Encode and send these records as data frame {@code seq} (1, 2, 3 ... per connection). */
    record SendFrame(long seq, List<SyncRecord> records) implements SyncAction {}

    /** Write the peer's states into the local kernel (BACKUP write-through). */
    record WriteKernel(List<CtWrite> writes) implements SyncAction {}

    /**
     * Set the "sync not complete" demotion source to {@code value} (0 clears it); maps to the core's
     * {@code NodeEvent.SetDemotion(group, "pfsync", value)}.
     */
    record SetDemotion(int value, String reason) implements SyncAction {}

    /** The peer link changed state (for logs, metrics and hooks). */
    record PeerStateChanged(PeerState from, PeerState to, String reason) implements SyncAction {}

    /** Close the sync connection (peer silent or misbehaving); the driver reconnects. */
    record CloseLink(String reason) implements SyncAction {}

    /** Call back with {@link SyncEvent.Tick} at this monotonic time (ns); replaces any earlier deadline. */
    record ArmTimer(long atNanos) implements SyncAction {}
}
