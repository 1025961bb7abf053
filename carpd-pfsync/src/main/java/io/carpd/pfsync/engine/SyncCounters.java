package io.carpd.pfsync.engine;

/** Running counts of what the engine did; read by metrics. Mutated only by the engine's thread. */
public final class SyncCounters {
    long framesSent;
    long recordsSent;
    long coalesced;
    long peerUpserts;
    long peerDeletes;
    long peerDeletesIgnored;
    long takenOver;
    long refreshes;
    long bulksSent;
    long bulksReceived;
    long bulkStalePurged;
    long unexpectedRecords;
    long framesWhileDisconnected;
    long resyncs;

    public long framesSent() { return framesSent; }
    public long recordsSent() { return recordsSent; }
    /** Changes folded into a state already queued. */
    public long coalesced() { return coalesced; }
    public long peerUpserts() { return peerUpserts; }
    public long peerDeletes() { return peerDeletes; }
    /** Peer deletes for states we carry traffic for (ignored). */
    public long peerDeletesIgnored() { return peerDeletesIgnored; }
    /** Peer states that became ours because our kernel reported traffic on them. */
    public long takenOver() { return takenOver; }
    /** States re-sent only because the peer's copy would have expired first. */
    public long refreshes() { return refreshes; }
    public long bulksSent() { return bulksSent; }
    public long bulksReceived() { return bulksReceived; }
    /** Peer states removed at a bulk end because the bulk did not contain them. */
    public long bulkStalePurged() { return bulkStalePurged; }
    /** Records that made no sense where they arrived (HELLO in data, unmatched BULK_END). */
    public long unexpectedRecords() { return unexpectedRecords; }
    public long framesWhileDisconnected() { return framesWhileDisconnected; }
    /** Operator-forced full resyncs performed. */
    public long resyncs() { return resyncs; }
}
