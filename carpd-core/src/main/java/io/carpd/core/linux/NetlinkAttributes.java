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
    // Value offset + 1 per type (0: absent), and value length.
    private int[] starts = new int[32];
    private int[] lengths = new int[32];

    private NetlinkAttributes(ByteBuffer buf) {
        // Netlink is host order whatever order the caller's buffer is set to.
        this.buf = buf.order() == ByteOrder.nativeOrder() ? buf : buf.duplicate().order(ByteOrder.nativeOrder());
    }

    /** Parses the 4-byte aligned attributes in {@code buf} from {@code offset} to its limit. */
    public static NetlinkAttributes parse(ByteBuffer buf, int offset) {
        NetlinkAttributes attrs = new NetlinkAttributes(buf);
        int pos = offset;
        while (pos + 4 <= buf.limit()) {
            int len = Short.toUnsignedInt(buf.getShort(pos));
            int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & NetlinkRequest.NLA_TYPE_MASK;
            if (len < 4 || pos + len > buf.limit()) {
                break;
            }
            attrs.put(type, pos + 4, len - 4);
            pos += (len + 3) & ~3;
        }
        return attrs;
    }

    private void put(int type, int start, int length) {
        if (type >= MAX_TYPE) {
            return;
        }
        if (type >= starts.length) {
            int size = Math.min(MAX_TYPE, Math.max(type + 1, starts.length * 2));
            starts = java.util.Arrays.copyOf(starts, size);
            lengths = java.util.Arrays.copyOf(lengths, size);
        }
        starts[type] = start + 1;
        lengths[type] = length;
    }

    private ByteBuffer value(int type) {
        if (type < 0 || type >= starts.length || starts[type] == 0) {
            return null;
        }
        return buf.slice(starts[type] - 1, lengths[type]).order(ByteOrder.nativeOrder());
    }

    public boolean has(int type) {
        return type >= 0 && type < starts.length && starts[type] != 0;
    }

    public byte[] bytes(int type) {
        if (!has(type)) {
            return null;
        }
        byte[] out = new byte[lengths[type]];
        buf.get(starts[type] - 1, out);
        return out;
    }

    /** The attribute as u32, or {@code fallback} when absent or too short. */
    public int u32(int type, int fallback) {
        return !has(type) || lengths[type] < 4 ? fallback : buf.getInt(starts[type] - 1);
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
        return b == null ? new NetlinkAttributes(ByteBuffer.allocate(0)) : parse(b, 0);
    }
}
