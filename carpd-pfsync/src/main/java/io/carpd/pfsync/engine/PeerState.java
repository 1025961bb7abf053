package io.carpd.pfsync.engine;

/** Where the sync link to the peer stands. */
public enum PeerState {
    /** No connection (or not yet handshaken). */
    DISCONNECTED,
    /** Connected; our bulk request is out, the peer's bulk has not started. */
    CONNECTED,
    /** The peer's bulk transfer is arriving. */
    BULK_RECEIVING,
    /** The peer's bulk transfer completed on this connection; changes stream as they happen. */
    IN_SYNC
}
