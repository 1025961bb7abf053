package io.carpd.pfsync.wire;

import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;

import java.util.List;

/** One record of a sync frame. Record type numbers live in {@link RecordType}. */
public sealed interface SyncRecord {

    /** First record of a connection, in a frame of its own: versions spoken, node, fresh nonce. */
    record Hello(int minVersion, int maxVersion, int nodeId, SessionNonce nonce) implements SyncRecord {}

    /**
     * Liveness and round-trip time: {@code timestamp} is the sender's clock; {@code echo} is the
     * last timestamp it received from the peer, held for {@code echoDelayNanos} before this send
     * ({@link #NO_ECHO} delay before any was received), so the peer measures RTT as
     * now - echo - delay on its own clock.
     */
    record Keepalive(long timestamp, long echo, long echoDelayNanos) implements SyncRecord {
        public static final long NO_ECHO = -1;
    }

    /** The sender has processed every frame up to and including {@code seq}. */
    record Ack(long seq) implements SyncRecord {}

    /** The complete current state of one connection. */
    record StateUpsert(ConnState state) implements SyncRecord {}

    /** The connection is gone. */
    record StateDelete(ConnKey key) implements SyncRecord {}

    /** Ask the peer for its full state of one connection (we heard of it but lack it). */
    record UpdateRequest(ConnKey key) implements SyncRecord {}

    /** Ask the peer for its whole table. */
    record BulkRequest() implements SyncRecord {}

    /** A bulk transfer follows; it ends with {@link BulkEnd} carrying the same id. */
    record BulkStart(long bulkId) implements SyncRecord {}

    /** The bulk transfer {@code bulkId} is complete after {@code states} upserts. */
    record BulkEnd(long bulkId, long states) implements SyncRecord {}

    /**
     * The sender's complete CARP view: the state of every VHID it runs. Sent whenever one changes
     * and with every keepalive, so the peer can see both nodes claiming MASTER (split brain).
     */
    record VhidStates(List<VhidState> states) implements SyncRecord {
        /** Most entries per record: the u16 length field bounds the payload. */
        public static final int MAX_STATES = 1000;

        public VhidStates {
            states = List.copyOf(states);
            if (states.size() > MAX_STATES) {
                throw new IllegalArgumentException(states.size() + " VHID states exceed " + MAX_STATES);
            }
        }
    }

    /**
     * A piece of one config-sync message ({@code io.carpd.pfsync.config}); a message larger than a
     * record is split into consecutive fragments, {@code last} set on its final one.
     */
    record ConfigFragment(boolean last, byte[] data) implements SyncRecord {
        /** Largest {@code data} per fragment (the record length field is 16 bits). */
        public static final int MAX_DATA = 65_535 - 1;

        public ConfigFragment {
            if (data.length > MAX_DATA) {
                throw new IllegalArgumentException("config fragment of " + data.length + " bytes exceeds " + MAX_DATA);
            }
        }
    }
}
