package io.carpd.core.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink request: the header (length and sequence filled in by {@link NetlinkSocket}),
 * a family-specific struct written field by field, then 4-byte aligned attributes, possibly nested.
 * Netlink is host byte order; callers pass addresses as network-order byte arrays.
 */
public final class NetlinkRequest {
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** Kernel-side attribute type bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) to mask off when parsing. */
    public static final int NLA_TYPE_MASK = 0x3fff;

    /** Enough for a conntrack upsert without growing; batches of them are built by the thousand. */
    private static final int INITIAL_BYTES = 384;
    private static final int MAX_BYTES = 65_535;

    private ByteBuffer buf = ByteBuffer.allocate(INITIAL_BYTES).order(ByteOrder.nativeOrder());
    private final int type;
    private final int flags;

    public NetlinkRequest(int type, int flags) {
        this.type = type;
        this.flags = flags | NLM_F_REQUEST;
        ensure(16);
        buf.putInt(0).putShort((short) type).putShort((short) (flags | NLM_F_REQUEST)).putInt(0).putInt(0);
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public NetlinkRequest u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public NetlinkRequest u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public NetlinkRequest u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public NetlinkRequest attr(int attrType, byte[] value) {
        ensure(4 + value.length + 3);
        buf.putShort((short) (4 + value.length)).putShort((short) attrType).put(value);
        align();
        return this;
    }

    public NetlinkRequest attrU32(int attrType, int value) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) attrType).putInt(value);
        return this;
    }

    /** A NUL-terminated string attribute (interface names, link kinds). */
    public NetlinkRequest attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(attrType, z);
    }

    /** Opens a nested attribute; pass the returned mark to {@link #endNested(int)}. */
    public int beginNested(int attrType) {
        ensure(4);
        int mark = buf.position();
        buf.putShort((short) 0).putShort((short) attrType);
        return mark;
    }

    public NetlinkRequest endNested(int mark) {
        buf.putShort(mark, (short) (buf.position() - mark));
        return this;
    }

    private void ensure(int bytes) {
        if (buf.remaining() >= bytes) {
            return;
        }
        int need = buf.position() + bytes;
        if (need > MAX_BYTES) {
            throw new IllegalStateException("netlink message of type " + type + " would exceed " + MAX_BYTES + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BYTES, Math.max(need, buf.capacity() * 2))).order(ByteOrder.nativeOrder());
        buf = bigger.put(buf.flip());
    }

    private void align() {
        ensure(3);
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    /**
     * The finished message for sequence number {@code seq}, as a host-order buffer from 0 to its
     * length. Public so that protocol codecs built on requests can be tested without a socket.
     */
    public ByteBuffer finish(int seq) {
        align();
        ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder()).flip();
        out.putInt(0, out.limit());
        out.putInt(8, seq);
        return out;
    }
}
