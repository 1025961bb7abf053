package io.carpd.pfsync.wire;

/**
 * Record type numbers. Numbers are never reused; a receiver skips any type it does not know (or
 * knows only as reserved), which is how a newer version adds records without breaking an older
 * peer. Ranges: 1-15 session, 16-31 connection state, 32-47 bulk, 48-63 CARP, 64-79
 * configuration (reserved).
 */
public final class RecordType {
    public static final int HELLO = 1;
    public static final int KEEPALIVE = 2;
    public static final int ACK = 3;
    public static final int STATE_UPSERT = 16;
    public static final int STATE_DELETE = 17;
    public static final int UPDATE_REQUEST = 18;
    public static final int BULK_REQUEST = 32;
    public static final int BULK_START = 33;
    public static final int BULK_END = 34;
    /** Per-VHID CARP states of the sender, for split-brain detection over the sync link. */
    public static final int VHID_STATES = 48;
    /** Configuration pushed from MASTER to BACKUP: fragments of config-sync messages, on their own connection. */
    public static final int CONFIG_SYNC = 64;

    private RecordType() {
    }
}
