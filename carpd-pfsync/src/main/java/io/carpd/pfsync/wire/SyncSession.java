package io.carpd.pfsync.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's view of the sync protocol, without I/O. Both ends send {@link #helloFrame()}
 * first; after the peer's HELLO arrives the session is established and data frames flow.
 *
 * <p>Authentication: HELLO frames carry an HMAC-SHA256 under the configured key. Data frames carry
 * one under a direction key, HMAC(key, label | sender nonce | receiver nonce), so a frame is valid
 * only in the connection and direction it was made for: frames recorded from an earlier
 * connection fail (our nonce is new), frames reflected back fail (the nonces are swapped), and
 * within the connection sequence numbers must run 1, 2, 3 ... (a repeat is a replay, a jump is a
 * loss the stream transport should never produce). Not thread-safe.
 */
public final class SyncSession {
    private static final byte[] LABEL = "carpd-sync direction key".getBytes(StandardCharsets.US_ASCII);
    private static final int MIN_KEY_BYTES = 16;

    private final byte[] key;
    private final int nodeId;
    private final ProtocolVersions versions;
    private final SessionNonce nonce;
    private final Mac helloMac;
    private final Mac sendMac;
    private final Mac receiveMac;
    private final Map<FrameDrop, Long> drops = new EnumMap<>(FrameDrop.class);
    private final long[] skippedRecords = new long[1];
    private int version;
    private int peerNodeId;
    private long lastSentSeq;
    private long lastReceivedSeq;

    /** Outcome of one inbound frame. */
    public sealed interface Inbound {
        /** The peer's HELLO was accepted; data frames may flow in both directions. */
        record Established(int peerNodeId, int version) implements Inbound {}

        /** An authentic, in-order data frame. */
        record Records(long seq, List<SyncRecord> records) implements Inbound {}

        /** The frame was rejected and counted; {@code detail} is for logs. */
        record Dropped(FrameDrop reason, String detail) implements Inbound {}
    }

    public SyncSession(byte[] key, int nodeId, ProtocolVersions versions, SessionNonce nonce) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("sync key has " + key.length + " bytes; at least " + MIN_KEY_BYTES + " are required");
        }
        this.key = key.clone();
        this.nodeId = nodeId;
        this.versions = versions;
        this.nonce = nonce;
        this.helloMac = mac(this.key);
        this.sendMac = mac(this.key);
        this.receiveMac = mac(this.key);
    }

    private static Mac mac(byte[] k) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(k, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The first frame to send on a new connection. */
    public byte[] helloFrame() {
        SyncRecord hello = new SyncRecord.Hello(versions.min(), versions.max(), nodeId, nonce);
        return FrameCodec.encode(versions.max(), FrameCodec.KIND_HELLO, 0, List.of(hello), helloMac);
    }

    public boolean established() {
        return version != 0;
    }

    /** The negotiated version; 0 before the handshake. */
    public int version() {
        return version;
    }

    public int peerNodeId() {
        return peerNodeId;
    }

    /**
     * Authenticates and encodes a data frame. {@code seq} must be one more than the previous
     * frame's (the engine numbers its frames so that acks refer to them).
     */
    public byte[] encode(long seq, List<SyncRecord> records) {
        if (!established()) {
            throw new IllegalStateException("data frame before the handshake completed");
        }
        if (seq != lastSentSeq + 1) {
            throw new IllegalStateException("frame seq " + seq + " after " + lastSentSeq);
        }
        lastSentSeq = seq;
        return FrameCodec.encode(version, FrameCodec.KIND_DATA, seq, records, sendMac);
    }

    /** Handles one complete inbound frame. */
    public Inbound receive(byte[] frame) {
        try {
            FrameCodec.Header h = FrameCodec.header(frame);
            return h.kind() == FrameCodec.KIND_HELLO ? receiveHello(frame) : receiveData(frame, h);
        } catch (FrameCodec.FrameRejected e) {
            drops.merge(e.reason, 1L, Long::sum);
            return new Inbound.Dropped(e.reason, e.getMessage());
        }
    }

    private Inbound receiveHello(byte[] frame) throws FrameCodec.FrameRejected {
        if (!FrameCodec.macValid(frame, helloMac)) {
            throw new FrameCodec.FrameRejected(FrameDrop.BAD_MAC, "HELLO");
        }
        if (established()) {
            throw new FrameCodec.FrameRejected(FrameDrop.UNEXPECTED_HELLO, "session already established");
        }
        List<SyncRecord> records = FrameCodec.records(frame, skippedRecords);
        if (records.isEmpty() || !(records.getFirst() instanceof SyncRecord.Hello hello)) {
            throw new FrameCodec.FrameRejected(FrameDrop.MALFORMED_RECORD, "HELLO frame without a HELLO record");
        }
        if (hello.nodeId() == nodeId || hello.nonce().equals(nonce)) {
            throw new FrameCodec.FrameRejected(FrameDrop.SELF, "HELLO from node " + hello.nodeId() + " is our own");
        }
        int v;
        try {
            v = versions.negotiate(hello.minVersion(), hello.maxVersion());
        } catch (IllegalArgumentException e) {
            v = 0;
        }
        if (v == 0) {
            throw new FrameCodec.FrameRejected(FrameDrop.NO_COMMON_VERSION, "peer speaks " + hello.minVersion() + ".."
                    + hello.maxVersion() + ", we speak " + versions.min() + ".." + versions.max());
        }
        deriveKeys(hello.nonce());
        version = v;
        peerNodeId = hello.nodeId();
        return new Inbound.Established(peerNodeId, version);
    }

    private void deriveKeys(SessionNonce peer) {
        try {
            sendMac.init(new SecretKeySpec(directionKey(nonce, peer), "HmacSHA256"));
            receiveMac.init(new SecretKeySpec(directionKey(peer, nonce), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 key setup failed", e);
        }
    }

    private byte[] directionKey(SessionNonce sender, SessionNonce receiver) {
        Mac m = mac(key);
        m.update(LABEL);
        m.update(ByteBuffer.allocate(32).putLong(sender.high()).putLong(sender.low())
                .putLong(receiver.high()).putLong(receiver.low()).array());
        return m.doFinal();
    }

    private Inbound receiveData(byte[] frame, FrameCodec.Header h) throws FrameCodec.FrameRejected {
        if (!established()) {
            throw new FrameCodec.FrameRejected(FrameDrop.HELLO_EXPECTED, "data frame before HELLO");
        }
        if (!FrameCodec.macValid(frame, receiveMac)) {
            throw new FrameCodec.FrameRejected(FrameDrop.BAD_MAC, "data frame seq " + h.seq());
        }
        if (h.version() != version) {
            throw new FrameCodec.FrameRejected(FrameDrop.WRONG_VERSION, "version " + h.version() + ", negotiated " + version);
        }
        if (Long.compareUnsigned(h.seq(), lastReceivedSeq) <= 0) {
            throw new FrameCodec.FrameRejected(FrameDrop.REPLAYED, "seq " + h.seq() + " after " + lastReceivedSeq);
        }
        if (h.seq() != lastReceivedSeq + 1) {
            throw new FrameCodec.FrameRejected(FrameDrop.SEQUENCE_GAP, "seq " + h.seq() + " after " + lastReceivedSeq);
        }
        List<SyncRecord> records = FrameCodec.records(frame, skippedRecords);
        lastReceivedSeq = h.seq();
        return new Inbound.Records(h.seq(), records);
    }

    /** Frames rejected for {@code reason} on this connection. */
    public long dropped(FrameDrop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Records of types this version does not implement, skipped on this connection. */
    public long skippedRecords() {
        return skippedRecords[0];
    }
}
