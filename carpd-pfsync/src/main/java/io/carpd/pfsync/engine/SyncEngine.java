package io.carpd.pfsync.engine;

import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.wire.FrameCodec;
import io.carpd.pfsync.wire.SyncRecord;
import io.carpd.pfsync.wire.VhidState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State sync with one peer, sans I/O: {@link #handle(SyncEvent, long)} takes an event and the
 * monotonic time and returns what to do. Both nodes run the same engine; each sends the states
 * its own kernel reported and writes what the peer sends into its kernel.
 *
 * <p>Ownership: a state learnt from the peer is the peer's until our own kernel reports a change
 * to it (traffic now flows through us, e.g. after a failover), which makes it ours and syncs it
 * back. A peer state that expires or is deleted locally is forgotten silently, so a BACKUP never
 * deletes a live connection on the MASTER.
 *
 * <p>Sending: each state is queued at most once; the frame is built from the newest content when
 * it is sent, when the queue fills a frame, or {@link SyncSettings#flushDelayNanos} after the first
 * change was queued. A state created and destroyed before it was ever sent costs nothing.
 *
 * <p>Bulk: on every connection each side requests the peer's table. The answer is bracketed by
 * BULK_START/BULK_END; peer states not refreshed by the bulk are removed at its end (they died
 * while the link was down). Until the first bulk completes, or {@link SyncSettings#bulkTimeoutNanos}
 * after start (a lone node must still become MASTER), the "sync not complete" demotion is raised.
 * Not thread-safe: driven from one event loop.
 */
public final class SyncEngine {
    private static final class Entry {
        ConnState state;
        boolean fromPeer;
        boolean announced;
        boolean staleInBulk;
        long peerExpiresAt;
        long lastLocalAt = Long.MIN_VALUE;

        Entry(ConnState state, boolean fromPeer) {
            this.state = state;
            this.fromPeer = fromPeer;
        }
    }

    /** A queued change: an upsert (content taken from the table at send time) or a delete. */
    private record Queued(boolean upsert, int size) {}

    private final SyncSettings settings;
    private final int frameBudget;
    private final Map<ConnKey, Entry> table = new HashMap<>();
    private final LinkedHashMap<ConnKey, Queued> queue = new LinkedHashMap<>();
    private int queuedBytes;
    private long flushAt = Long.MAX_VALUE;

    private PeerState peerState = PeerState.DISCONNECTED;
    private int peerNodeId;
    private long nextSeq = 1;
    private long ackOwed;
    private long peerAcked;
    private long lastAckElicitingSeq;
    private long lastHeardAt;
    private long nextKeepaliveAt = Long.MAX_VALUE;
    private long peerTimestamp;
    private long peerTimestampAt = -1;
    private long rttNanos = -1;

    private boolean started;
    private boolean syncComplete;
    private long bulkDeadline = Long.MAX_VALUE;
    private long receivingBulkId = -1;

    private Iterator<ConnKey> bulkCursor;
    private long bulkId;
    private long bulkSent;
    private boolean bulkStartPending;
    private boolean bulkRequestedAgain;
    private long bulkStepAt = Long.MAX_VALUE;

    /** (seq, sent at) of ack-eliciting frames not acknowledged yet, oldest first: the lag. */
    private final java.util.ArrayDeque<long[]> unacked = new java.util.ArrayDeque<>();
    private long now;
    private long receivingBulkStartedAt;
    private long sendingBulkStartedAt;
    private BulkInfo lastBulkReceived;
    private BulkInfo lastBulkSent;

    private List<VhidState> ownVhids = List.of();
    /** The peer's latest CARP view on the current connection (empty while disconnected). */
    private List<VhidState> peerVhids = List.of();

    private long armedAt = Long.MAX_VALUE;
    private final SyncCounters counters = new SyncCounters();

    public SyncEngine(SyncSettings settings) {
        this.settings = settings;
        this.frameBudget = settings.maxFrameBytes() - FrameCodec.HEADER_BYTES - FrameCodec.MAC_BYTES;
    }

    // ---- getters

    /** The link's state as of the last event handled. */
    public PeerStatus status() {
        return status(now);
    }

    /** The link's state, with the lag measured at {@code at}. */
    public PeerStatus status(long at) {
        int peerStates = (int) table.values().stream().filter(e -> e.fromPeer).count();
        long lag = unacked.isEmpty() ? 0 : Math.max(0, at - unacked.peekFirst()[1]);
        return new PeerStatus(peerState, peerNodeId, rttNanos, Math.max(0, lastAckElicitingSeq - peerAcked), queue.size(),
                table.size() - peerStates, peerStates, syncComplete, lag, lastBulkReceived, lastBulkSent);
    }

    public SyncCounters counters() {
        return counters;
    }

    /** The state this engine holds for {@code key} (local or peer), or null. */
    public ConnState state(ConnKey key) {
        Entry e = table.get(key);
        return e == null ? null : e.state;
    }

    /** Whether the state for {@code key} came from the peer (and was not taken over since). */
    public boolean isPeerState(ConnKey key) {
        Entry e = table.get(key);
        return e != null && e.fromPeer;
    }

    /** The peer's CARP view as last received on the current connection; empty while disconnected. */
    public List<VhidState> peerVhidStates() {
        return peerVhids;
    }

    // ---- input

    public List<SyncAction> handle(SyncEvent event, long now) {
        this.now = now;
        List<SyncAction> out = new ArrayList<>();
        switch (event) {
            case SyncEvent.Start s -> start(now, out);
            case SyncEvent.LocalUpsert u -> localUpsert(u.state(), now);
            case SyncEvent.LocalDestroy d -> localDestroy(d.key(), now);
            case SyncEvent.LocalDump d -> localDump(d.states(), d.startedAt(), now);
            case SyncEvent.LocalVhidStates v -> localVhidStates(v.states(), out);
            case SyncEvent.Connected c -> connected(c.peerNodeId(), now, out);
            case SyncEvent.Disconnected d -> disconnected(d.reason(), out);
            case SyncEvent.FrameReceived f -> frameReceived(f.seq(), f.records(), now, out);
            case SyncEvent.Resync r -> resync(now, out);
            case SyncEvent.Tick t -> { }
        }
        timers(now, out);
        return out;
    }

    private void start(long now, List<SyncAction> out) {
        if (started) {
            return;
        }
        started = true;
        if (settings.demotion() > 0) {
            out.add(new SyncAction.SetDemotion(settings.demotion(), "state sync not complete"));
            bulkDeadline = now + settings.bulkTimeoutNanos();
        } else {
            syncComplete = true;
        }
    }

    private void localVhidStates(List<VhidState> states, List<SyncAction> out) {
        if (states.equals(ownVhids)) {
            return;
        }
        ownVhids = states;
        if (peerState != PeerState.DISCONNECTED) {
            send(List.of(new SyncRecord.VhidStates(states)), out);
        }
    }

    private void localUpsert(ConnState s, long now) {
        ConnKey k = s.key();
        Entry e = table.get(k);
        if (e == null) {
            e = new Entry(s, false);
            table.put(k, e);
        } else {
            e.state = e.state.mergedWith(s);
            if (e.fromPeer) {
                // Our kernel changed a state the peer gave us: the traffic runs through us now.
                e.fromPeer = false;
                counters.takenOver++;
            }
        }
        e.lastLocalAt = now;
        enqueueUpsert(k, e, now);
    }

    private void localDestroy(ConnKey k, long now) {
        Entry e = table.remove(k);
        if (e == null || e.fromPeer) {
            return;
        }
        Queued q = queue.get(k);
        if (!e.announced) {
            if (q != null) {
                dequeue(k);
            }
            return;
        }
        enqueue(k, new Queued(false, FrameCodec.recordSize(new SyncRecord.StateDelete(k))), now);
    }

    /**
     * Diff against a full dump: new or changed states are queued, missing local ones deleted.
     * Entries changed by events after the dump started are newer than the dump and left alone.
     */
    private void localDump(java.util.Collection<ConnState> states, long startedAt, long now) {
        Set<ConnKey> seen = new HashSet<>();
        for (ConnState s : states) {
            ConnKey k = s.key();
            seen.add(k);
            Entry e = table.get(k);
            if (e == null) {
                e = new Entry(s, false);
                table.put(k, e);
                enqueueUpsert(k, e, now);
            } else if (e.fromPeer || e.lastLocalAt >= startedAt) {
                continue;
            } else {
                boolean changed = !sameExceptTimeout(e.state, s);
                boolean expiresEarlyOnPeer = e.announced && s.timeoutSeconds() != ConnState.NO_TIMEOUT
                        && now + s.timeoutSeconds() * 1_000_000_000L - e.peerExpiresAt > settings.refreshMarginNanos();
                e.state = s;
                if (changed || expiresEarlyOnPeer || !e.announced) {
                    enqueueUpsert(k, e, now);
                    if (expiresEarlyOnPeer && !changed) {
                        counters.refreshes++;
                    }
                }
            }
        }
        List<ConnKey> gone = new ArrayList<>();
        for (Map.Entry<ConnKey, Entry> me : table.entrySet()) {
            Entry e = me.getValue();
            if (!e.fromPeer && e.lastLocalAt < startedAt && !seen.contains(me.getKey())) {
                gone.add(me.getKey());
            }
        }
        for (ConnKey k : gone) {
            localDestroy(k, now);
        }
    }

    private static boolean sameExceptTimeout(ConnState a, ConnState b) {
        return a.withTimeout(0).equals(b.withTimeout(0));
    }

    private void enqueueUpsert(ConnKey k, Entry e, long now) {
        enqueue(k, new Queued(true, FrameCodec.recordSize(new SyncRecord.StateUpsert(e.state))), now);
    }

    private void enqueue(ConnKey k, Queued q, long now) {
        if (peerState == PeerState.DISCONNECTED) {
            // The peer asks for a bulk when it connects; nothing to remember per change meanwhile.
            return;
        }
        Queued old = queue.put(k, q);
        if (old != null) {
            queuedBytes -= old.size();
            counters.coalesced++;
        }
        queuedBytes += q.size();
        if (flushAt == Long.MAX_VALUE) {
            flushAt = now + settings.flushDelayNanos();
        }
    }

    private void dequeue(ConnKey k) {
        Queued q = queue.remove(k);
        if (q != null) {
            queuedBytes -= q.size();
        }
        if (queue.isEmpty() && ackOwed == 0) {
            flushAt = Long.MAX_VALUE;
        }
    }

    private void connected(int peer, long now, List<SyncAction> out) {
        if (peerState != PeerState.DISCONNECTED) {
            resetLink();
        }
        peerNodeId = peer;
        nextSeq = 1;
        peerAcked = 0;
        lastAckElicitingSeq = 0;
        lastHeardAt = now;
        setPeerState(PeerState.CONNECTED, "connected to node " + peer, out);
        List<SyncRecord> hello = new ArrayList<>();
        hello.add(new SyncRecord.BulkRequest());
        hello.add(keepalive(now));
        hello.add(new SyncRecord.VhidStates(ownVhids));
        send(hello, out);
        nextKeepaliveAt = now + settings.keepaliveNanos();
    }

    private void resync(long now, List<SyncAction> out) {
        if (peerState == PeerState.DISCONNECTED) {
            return;
        }
        counters.resyncs++;
        send(List.of(new SyncRecord.BulkRequest()), out);
        bulkRequested(now);
    }

    private void disconnected(String reason, List<SyncAction> out) {
        if (peerState == PeerState.DISCONNECTED) {
            return;
        }
        resetLink();
        setPeerState(PeerState.DISCONNECTED, reason, out);
    }

    private void resetLink() {
        queue.clear();
        queuedBytes = 0;
        flushAt = Long.MAX_VALUE;
        ackOwed = 0;
        nextKeepaliveAt = Long.MAX_VALUE;
        peerTimestampAt = -1;
        bulkCursor = null;
        bulkStartPending = false;
        bulkRequestedAgain = false;
        bulkStepAt = Long.MAX_VALUE;
        receivingBulkId = -1;
        unacked.clear();
        peerVhids = List.of();
        for (Entry e : table.values()) {
            e.staleInBulk = false;
        }
    }

    private void setPeerState(PeerState to, String reason, List<SyncAction> out) {
        if (to != peerState) {
            out.add(new SyncAction.PeerStateChanged(peerState, to, reason));
            peerState = to;
        }
    }

    private void frameReceived(long seq, List<SyncRecord> records, long now, List<SyncAction> out) {
        if (peerState == PeerState.DISCONNECTED) {
            counters.framesWhileDisconnected++;
            return;
        }
        lastHeardAt = now;
        List<CtWrite> writes = new ArrayList<>();
        boolean ackEliciting = false;
        for (SyncRecord r : records) {
            switch (r) {
                case SyncRecord.Keepalive k -> keepaliveReceived(k, now);
                case SyncRecord.Ack a -> acknowledged(a.seq());
                case SyncRecord.VhidStates v -> peerVhids = v.states();
                case SyncRecord.StateUpsert u -> {
                    ackEliciting = true;
                    peerUpsert(u.state(), writes);
                }
                case SyncRecord.StateDelete d -> {
                    ackEliciting = true;
                    peerDelete(d.key(), writes);
                }
                case SyncRecord.UpdateRequest q -> {
                    ackEliciting = true;
                    updateRequested(q.key(), now);
                }
                case SyncRecord.BulkRequest b -> {
                    ackEliciting = true;
                    bulkRequested(now);
                }
                case SyncRecord.BulkStart b -> {
                    ackEliciting = true;
                    bulkStarted(b.bulkId(), out);
                }
                case SyncRecord.BulkEnd b -> {
                    ackEliciting = true;
                    bulkEnded(b, writes, out);
                }
                case SyncRecord.Hello h -> counters.unexpectedRecords++;
                case SyncRecord.ConfigFragment c -> counters.unexpectedRecords++; // config sync has its own connection
            }
        }
        if (!writes.isEmpty()) {
            out.add(new SyncAction.WriteKernel(writes));
        }
        // Frames holding only acks and keepalives are not acknowledged, or two idle peers would
        // acknowledge each other's acks forever.
        if (ackEliciting) {
            ackOwed = seq;
            if (flushAt == Long.MAX_VALUE) {
                flushAt = now + settings.flushDelayNanos();
            }
        }
    }

    private void acknowledged(long seq) {
        peerAcked = Math.max(peerAcked, seq);
        while (!unacked.isEmpty() && unacked.peekFirst()[0] <= peerAcked) {
            unacked.pollFirst();
        }
    }

    private void keepaliveReceived(SyncRecord.Keepalive k, long now) {
        peerTimestamp = k.timestamp();
        peerTimestampAt = now;
        if (k.echoDelayNanos() != SyncRecord.Keepalive.NO_ECHO) {
            long rtt = now - k.echo() - k.echoDelayNanos();
            if (rtt >= 0) {
                rttNanos = rtt;
            }
        }
    }

    private SyncRecord.Keepalive keepalive(long now) {
        return peerTimestampAt < 0
                ? new SyncRecord.Keepalive(now, 0, SyncRecord.Keepalive.NO_ECHO)
                : new SyncRecord.Keepalive(now, peerTimestamp, now - peerTimestampAt);
    }

    private void peerUpsert(ConnState s, List<CtWrite> writes) {
        ConnKey k = s.key();
        Entry e = table.get(k);
        if (e == null) {
            e = new Entry(s, true);
            table.put(k, e);
        } else {
            e.state = s;
            e.fromPeer = true;
            dequeue(k);
        }
        e.staleInBulk = false;
        counters.peerUpserts++;
        writes.add(new CtWrite.Upsert(s));
    }

    private void peerDelete(ConnKey k, List<CtWrite> writes) {
        Entry e = table.get(k);
        counters.peerDeletes++;
        if (e != null && !e.fromPeer) {
            // We carry live traffic for it; the peer's copy was stale.
            counters.peerDeletesIgnored++;
            return;
        }
        table.remove(k);
        writes.add(new CtWrite.Delete(k));
    }

    private void updateRequested(ConnKey k, long now) {
        Entry e = table.get(k);
        if (e != null && !e.fromPeer) {
            enqueueUpsert(k, e, now);
        } else {
            enqueue(k, new Queued(false, FrameCodec.recordSize(new SyncRecord.StateDelete(k))), now);
        }
    }

    private void bulkRequested(long now) {
        if (bulkCursor != null) {
            bulkRequestedAgain = true;
            return;
        }
        beginBulk(now);
    }

    private void beginBulk(long now) {
        List<ConnKey> snapshot = new ArrayList<>();
        for (Map.Entry<ConnKey, Entry> me : table.entrySet()) {
            if (!me.getValue().fromPeer) {
                snapshot.add(me.getKey());
            }
        }
        bulkCursor = snapshot.iterator();
        bulkId++;
        bulkSent = 0;
        bulkStartPending = true;
        bulkStepAt = now;
        sendingBulkStartedAt = now;
        counters.bulksSent++;
    }

    private void bulkStarted(long id, List<SyncAction> out) {
        receivingBulkId = id;
        receivingBulkStartedAt = now;
        for (Entry e : table.values()) {
            e.staleInBulk = e.fromPeer;
        }
        if (peerState == PeerState.CONNECTED) {
            setPeerState(PeerState.BULK_RECEIVING, "bulk transfer " + id + " started", out);
        }
    }

    private void bulkEnded(SyncRecord.BulkEnd end, List<CtWrite> writes, List<SyncAction> out) {
        if (end.bulkId() != receivingBulkId) {
            counters.unexpectedRecords++;
            return;
        }
        receivingBulkId = -1;
        List<ConnKey> stale = new ArrayList<>();
        for (Map.Entry<ConnKey, Entry> me : table.entrySet()) {
            if (me.getValue().staleInBulk) {
                stale.add(me.getKey());
            }
        }
        for (ConnKey k : stale) {
            table.remove(k);
            writes.add(new CtWrite.Delete(k));
        }
        counters.bulkStalePurged += stale.size();
        counters.bulksReceived++;
        lastBulkReceived = new BulkInfo(now, now - receivingBulkStartedAt, end.states());
        setPeerState(PeerState.IN_SYNC, "bulk transfer " + end.bulkId() + " complete: " + end.states() + " states", out);
        completeSync("bulk transfer complete", out);
    }

    private void completeSync(String reason, List<SyncAction> out) {
        bulkDeadline = Long.MAX_VALUE;
        if (!syncComplete) {
            syncComplete = true;
            out.add(new SyncAction.SetDemotion(0, reason));
        }
    }

    // ---- output

    private void timers(long now, List<SyncAction> out) {
        if (now >= bulkDeadline) {
            completeSync("no bulk transfer within " + settings.bulkTimeoutNanos() / 1_000_000 + " ms; continuing unsynced", out);
        }
        if (peerState != PeerState.DISCONNECTED) {
            if (now - lastHeardAt >= settings.peerTimeoutNanos()) {
                String reason = "nothing from peer for " + (now - lastHeardAt) / 1_000_000 + " ms";
                out.add(new SyncAction.CloseLink(reason));
                disconnected(reason, out);
            } else {
                if (now >= bulkStepAt) {
                    bulkStep(now, out);
                }
                boolean keepaliveDue = now >= nextKeepaliveAt;
                if (queuedBytes >= frameBudget) {
                    flush(now, false, keepaliveDue, out);
                    keepaliveDue = false;
                }
                if (now >= flushAt || keepaliveDue) {
                    flush(now, true, keepaliveDue, out);
                }
            }
        }
        long next = Math.min(bulkDeadline, Math.min(flushAt, Math.min(nextKeepaliveAt, bulkStepAt)));
        if (peerState != PeerState.DISCONNECTED) {
            next = Math.min(next, lastHeardAt + settings.peerTimeoutNanos());
        }
        if (next != Long.MAX_VALUE && next != armedAt) {
            out.add(new SyncAction.ArmTimer(next));
        }
        armedAt = next;
    }

    /**
     * Sends queued changes: with {@code all}, everything (the delay is up); otherwise only full
     * frames, leaving a partial one to wait for company.
     */
    private void flush(long now, boolean all, boolean keepalive, List<SyncAction> out) {
        List<SyncRecord> frame = new ArrayList<>();
        int used = 0;
        if (ackOwed != 0) {
            SyncRecord ack = new SyncRecord.Ack(ackOwed);
            frame.add(ack);
            used += FrameCodec.recordSize(ack);
            ackOwed = 0;
        }
        if (keepalive) {
            SyncRecord ka = keepalive(now);
            frame.add(ka);
            used += FrameCodec.recordSize(ka);
            SyncRecord vhids = new SyncRecord.VhidStates(ownVhids);
            frame.add(vhids);
            used += FrameCodec.recordSize(vhids);
        }
        Iterator<Map.Entry<ConnKey, Queued>> it = queue.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ConnKey, Queued> qe = it.next();
            Queued q = qe.getValue();
            if (used + q.size() > frameBudget) {
                send(frame, out);
                frame = new ArrayList<>();
                used = 0;
                if (!all && queuedBytes < frameBudget) {
                    break;
                }
            }
            ConnKey k = qe.getKey();
            Entry e = table.get(k);
            if (q.upsert() && e != null) {
                frame.add(new SyncRecord.StateUpsert(e.state));
                markSent(e, now);
            } else if (!q.upsert()) {
                frame.add(new SyncRecord.StateDelete(k));
            }
            used += q.size();
            queuedBytes -= q.size();
            it.remove();
        }
        if (!frame.isEmpty()) {
            send(frame, out);
        }
        if (keepalive) {
            nextKeepaliveAt = now + settings.keepaliveNanos();
        }
        if (queue.isEmpty()) {
            flushAt = Long.MAX_VALUE;
        }
    }

    private void bulkStep(long now, List<SyncAction> out) {
        for (int frames = 0; frames < settings.bulkFramesPerStep() && bulkCursor != null; frames++) {
            List<SyncRecord> frame = new ArrayList<>();
            int used = 0;
            if (bulkStartPending) {
                SyncRecord start = new SyncRecord.BulkStart(bulkId);
                frame.add(start);
                used += FrameCodec.recordSize(start);
                bulkStartPending = false;
            }
            while (bulkCursor.hasNext()) {
                ConnKey k = bulkCursor.next();
                Entry e = table.get(k);
                if (e == null || e.fromPeer) {
                    continue;
                }
                SyncRecord r = new SyncRecord.StateUpsert(e.state);
                int size = FrameCodec.recordSize(r);
                frame.add(r);
                used += size;
                bulkSent++;
                markSent(e, now);
                if (used + MAX_UPSERT_BYTES > frameBudget) {
                    break;
                }
            }
            if (!bulkCursor.hasNext()) {
                SyncRecord end = new SyncRecord.BulkEnd(bulkId, bulkSent);
                if (used + FrameCodec.recordSize(end) > frameBudget) {
                    send(frame, out);
                    frame = new ArrayList<>();
                }
                frame.add(end);
                bulkCursor = null;
                lastBulkSent = new BulkInfo(now, now - sendingBulkStartedAt, bulkSent);
            }
            send(frame, out);
        }
        if (bulkCursor != null) {
            bulkStepAt = now;
        } else if (bulkRequestedAgain) {
            bulkRequestedAgain = false;
            beginBulk(now);
        } else {
            bulkStepAt = Long.MAX_VALUE;
        }
    }

    private static void markSent(Entry e, long now) {
        e.announced = true;
        e.peerExpiresAt = e.state.timeoutSeconds() == ConnState.NO_TIMEOUT
                ? Long.MAX_VALUE : now + e.state.timeoutSeconds() * 1_000_000_000L;
    }

    /** Upper bound of one upsert record (IPv6, TCP info): the bulk packer stops before it could overflow. */
    private static final int MAX_UPSERT_BYTES = FrameCodec.RECORD_HEADER_BYTES + 4 + 16 + 16 + 4 + 13 + 16 + 16 + 4 + 5;

    private void send(List<SyncRecord> records, List<SyncAction> out) {
        long seq = nextSeq++;
        // VHID states repeat with every keepalive: like keepalives they need no acknowledgement.
        if (records.stream().anyMatch(r -> !(r instanceof SyncRecord.Ack) && !(r instanceof SyncRecord.Keepalive)
                && !(r instanceof SyncRecord.VhidStates))) {
            lastAckElicitingSeq = seq;
            unacked.addLast(new long[] {seq, now});
        }
        out.add(new SyncAction.SendFrame(seq, List.copyOf(records)));
        counters.framesSent++;
        counters.recordsSent += records.size();
    }
}
