package io.carpd.pfsync.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes netlink messages into a reusable buffer: headers and attribute headers in host order,
 * attribute payloads as the caller gives them (ctnetlink wants network order for most scalars, so
 * the {@code be*} methods say so in their names). Several messages may be appended before one
 * {@link #flip()}; the kernel processes all of them from one send.
 */
public final class NlBuilder {
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLA_F_NESTED = 0x8000;

    private final ByteBuffer buf;
    private int messageStart = -1;

    public NlBuilder(int capacity) {
        this.buf = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
    }

    /** Empties the buffer for a new batch. */
    public NlBuilder clear() {
        buf.clear();
        messageStart = -1;
        return this;
    }

    public int position() {
        return buf.position();
    }

    public int remaining() {
        return buf.remaining();
    }

    /** Starts a message; {@link #endMessage()} fills in its length. */
    public NlBuilder beginMessage(int type, int flags, int seq) {
        if (messageStart >= 0) {
            throw new IllegalStateException("previous message not ended");
        }
        messageStart = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        return this;
    }

    /** Offset of the message being written (valid between begin and the next begin). */
    public int messageStart() {
        return messageStart;
    }

    /** ORs {@code flags} into the header of the message written at {@code start}. */
    public void addFlags(int start, int flags) {
        short old = buf.getShort(start + 6);
        buf.putShort(start + 6, (short) (old | flags));
    }

    public NlBuilder endMessage() {
        buf.putInt(messageStart, buf.position() - messageStart);
        messageStart = -1;
        return this;
    }

    /** Drops a message begun but not wanted (e.g. it would not fit), restoring the position. */
    public void abandonMessage() {
        if (messageStart >= 0) {
            buf.position(messageStart);
            messageStart = -1;
        }
    }

    /** Raw bytes inside the message body (e.g. the nfgenmsg header). */
    public NlBuilder putU8Raw(int v) {
        buf.put((byte) v);
        return this;
    }

    public NlBuilder putBe16Raw(int v) {
        buf.order(ByteOrder.BIG_ENDIAN).putShort((short) v).order(ByteOrder.nativeOrder());
        return this;
    }

    /** Opens a nested attribute; returns the token for {@link #endNest(int)}. */
    public int beginNest(int type) {
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return start;
    }

    public NlBuilder endNest(int start) {
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    public NlBuilder putU8(int type, int v) {
        header(type, 1);
        buf.put((byte) v);
        return pad();
    }

    public NlBuilder putBe16(int type, int v) {
        header(type, 2);
        buf.order(ByteOrder.BIG_ENDIAN).putShort((short) v).order(ByteOrder.nativeOrder());
        return pad();
    }

    public NlBuilder putBe32(int type, int v) {
        header(type, 4);
        buf.order(ByteOrder.BIG_ENDIAN).putInt(v).order(ByteOrder.nativeOrder());
        return pad();
    }

    public NlBuilder putBytes(int type, byte[] v) {
        header(type, v.length);
        buf.put(v);
        return pad();
    }

    private void header(int type, int payload) {
        buf.putShort((short) (4 + payload)).putShort((short) type);
    }

    private NlBuilder pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
        return this;
    }

    /** The written bytes, ready to send (the builder's buffer; do not keep across {@link #clear()}). */
    public ByteBuffer flip() {
        return buf.duplicate().order(ByteOrder.nativeOrder()).flip();
    }
}
