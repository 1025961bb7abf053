package io.carpd.core.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Attributes of one netlink message (or of one nested attribute), by type; last occurrence wins.
 * Indexes positions in the message instead of copying: conntrack events and dumps are parsed by
 * the hundred thousand per second, several nests each.
 */
public final class NetlinkAttributes {
    /** Types this high are skipped: no family we speak defines them, and the index stays small. */
    private static final int MAX_TYPE = 1024;

    private final ByteBuffer buf;
    // Per type: value offset + 1 (0: absent) at 2*type, value length at 2*type + 1.
    private final int[] index;

    private NetlinkAttributes(ByteBuffer buf, int maxType) {
        // Netlink is host order whatever order the caller's buffer is set to.
        this.buf = buf.order() == ByteOrder.nativeOrder() ? buf : buf.duplicate().order(ByteOrder.nativeOrder());
        this.index = new int[2 * (maxType + 1)];
    }

    /** Parses the 4-byte aligned attributes in {@code buf} from {@code offset} to its limit. */
    public static NetlinkAttributes parse(ByteBuffer buf, int offset) {
        // Two passes: the first sizes the index to the highest type present.
        int[] maxType = {-1};
        walk(buf, offset, (type, start, length) -> maxType[0] = Math.max(maxType[0], type));
        NetlinkAttributes attrs = new NetlinkAttributes(buf, maxType[0]);
        walk(buf, offset, (type, start, length) -> {
            attrs.index[2 * type] = start + 1;
            attrs.index[2 * type + 1] = length;
        });
        return attrs;
    }

    private interface Visitor {
        void attribute(int type, int start, int length);
    }

    /** Visits each well-formed attribute below {@link #MAX_TYPE}; stops at the first malformed one. */
    private static void walk(ByteBuffer buf, int offset, Visitor v) {
        for (int pos = offset; pos + 4 <= buf.limit(); ) {
            int len = Short.toUnsignedInt(buf.getShort(pos));
            int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & NetlinkRequest.NLA_TYPE_MASK;
            if (len < 4 || pos + len > buf.limit()) {
                return;
            }
            if (type < MAX_TYPE) {
                v.attribute(type, pos + 4, len - 4);
            }
            pos += (len + 3) & ~3;
        }
    }

    private ByteBuffer value(int type) {
        return has(type) ? buf.slice(index[2 * type] - 1, index[2 * type + 1]).order(ByteOrder.nativeOrder()) : null;
    }

    public boolean has(int type) {
        return type >= 0 && 2 * type < index.length && index[2 * type] != 0;
    }

    public byte[] bytes(int type) {
        if (!has(type)) {
            return null;
        }
        byte[] out = new byte[index[2 * type + 1]];
        buf.get(index[2 * type] - 1, out);
        return out;
    }

    /** The attribute as u32, or {@code fallback} when absent or too short. */
    public int u32(int type, int fallback) {
        return !has(type) || index[2 * type + 1] < 4 ? fallback : buf.getInt(index[2 * type] - 1);
    }

    /** A NUL-terminated string attribute, without the NUL; null when absent. */
    public String string(int type) {
        byte[] b = bytes(type);
        if (b == null) {
            return null;
        }
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    public NetlinkAttributes nested(int type) {
        ByteBuffer b = value(type);
        return b == null ? new NetlinkAttributes(ByteBuffer.allocate(0), -1) : parse(b, 0);
    }
}
