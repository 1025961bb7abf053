package io.carpd.pfsync.wire;

import javax.crypto.Mac;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frame layout, big-endian. The header layout and the HELLO record are frozen across versions so
 * that any two versions can at least negotiate.
 *
 * <pre>
 *  0  u16 magic 0xCA5C
 *  2  u8  version (data frames: the negotiated one; HELLO: the sender's highest)
 *  3  u8  kind: 0 HELLO, 1 DATA
 *  4  u32 length of the whole frame, header and MAC included (a stream decoder frames on it)
 *  8  u64 sequence number (HELLO: 0; DATA: 1, 2, 3 ... per direction and connection)
 * 16  records: u16 type, u16 payload length, payload
 * length-32  HMAC-SHA256 over bytes [0, length-32)
 * </pre>
 */
public final class FrameCodec {
    public static final int MAGIC = 0xCA5C;
    public static final int HEADER_BYTES = 16;
    public static final int MAC_BYTES = 32;
    public static final int RECORD_HEADER_BYTES = 4;
    /** Largest frame accepted; senders default to far less (see the engine's frame budget). */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    public static final int LENGTH_FIELD_OFFSET = 4;
    static final int KIND_HELLO = 0;
    static final int KIND_DATA = 1;

    private FrameCodec() {
    }

    /** Bytes {@code r} occupies in a frame, header included. */
    public static int recordSize(SyncRecord r) {
        return RECORD_HEADER_BYTES + RecordCodec.payloadSize(r);
    }

    /** Bytes of a frame holding records of {@code recordBytes} in total. */
    public static int frameSize(int recordBytes) {
        return HEADER_BYTES + recordBytes + MAC_BYTES;
    }

    static byte[] encode(int version, int kind, long seq, List<SyncRecord> records, Mac mac) {
        int size = HEADER_BYTES + MAC_BYTES;
        for (SyncRecord r : records) {
            size += recordSize(r);
        }
        if (size > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame of " + size + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        byte[] frame = new byte[size];
        ByteBuffer out = ByteBuffer.wrap(frame);
        out.putShort((short) MAGIC).put((byte) version).put((byte) kind).putInt(size).putLong(seq);
        for (SyncRecord r : records) {
            int payload = RecordCodec.payloadSize(r);
            out.putShort((short) RecordCodec.type(r)).putShort((short) payload);
            int start = out.position();
            RecordCodec.encode(r, out);
            if (out.position() - start != payload) {
                throw new IllegalStateException("record " + r + " encoded to " + (out.position() - start) + " bytes, sized " + payload);
            }
        }
        mac.update(frame, 0, size - MAC_BYTES);
        byte[] tag = mac.doFinal();
        out.put(tag);
        return frame;
    }

    record Header(int version, int kind, int length, long seq) {}

    /** Reads and checks the header of the frame in {@code frame[0, frame.length)}. */
    static Header header(byte[] frame) throws FrameRejected {
        if (frame.length < HEADER_BYTES + MAC_BYTES) {
            throw new FrameRejected(FrameDrop.TRUNCATED, frame.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(frame);
        int magic = Short.toUnsignedInt(in.getShort());
        if (magic != MAGIC) {
            throw new FrameRejected(FrameDrop.BAD_MAGIC, String.format("0x%04x", magic));
        }
        int version = Byte.toUnsignedInt(in.get());
        int kind = Byte.toUnsignedInt(in.get());
        int length = in.getInt();
        if (length != frame.length) {
            throw new FrameRejected(FrameDrop.BAD_LENGTH, "header says " + length + ", frame has " + frame.length);
        }
        if (kind != KIND_HELLO && kind != KIND_DATA) {
            throw new FrameRejected(FrameDrop.MALFORMED_RECORD, "frame kind " + kind);
        }
        return new Header(version, kind, length, in.getLong());
    }

    static boolean macValid(byte[] frame, Mac mac) {
        mac.update(frame, 0, frame.length - MAC_BYTES);
        byte[] expected = mac.doFinal();
        return java.security.MessageDigest.isEqual(expected,
                java.util.Arrays.copyOfRange(frame, frame.length - MAC_BYTES, frame.length));
    }

    /**
     * The records of an authenticated frame; types this version does not know are skipped and
     * counted in {@code skipped[0]}.
     */
    static List<SyncRecord> records(byte[] frame, long[] skipped) throws FrameRejected {
        ByteBuffer in = ByteBuffer.wrap(frame, 0, frame.length - MAC_BYTES).position(HEADER_BYTES);
        List<SyncRecord> out = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < RECORD_HEADER_BYTES) {
                throw new FrameRejected(FrameDrop.MALFORMED_RECORD, in.remaining() + " stray bytes after the last record");
            }
            int type = Short.toUnsignedInt(in.getShort());
            int len = Short.toUnsignedInt(in.getShort());
            if (len > in.remaining()) {
                throw new FrameRejected(FrameDrop.MALFORMED_RECORD, "record type " + type + " of " + len + " bytes overruns the frame");
            }
            ByteBuffer payload = in.slice(in.position(), len);
            in.position(in.position() + len);
            try {
                SyncRecord r = RecordCodec.decode(type, payload);
                if (r == null) {
                    skipped[0]++;
                } else {
                    out.add(r);
                }
            } catch (MalformedRecordException e) {
                throw new FrameRejected(FrameDrop.MALFORMED_RECORD, e.getMessage());
            }
        }
        return out;
    }

    /** Internal signal: the frame is dropped for {@code reason}. */
    static final class FrameRejected extends Exception {
        final FrameDrop reason;

        FrameRejected(FrameDrop reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
