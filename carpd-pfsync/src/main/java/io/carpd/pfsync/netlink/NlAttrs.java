package io.carpd.pfsync.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Index of the attributes in one attribute stream (a message body or a nest), by type. Later
 * duplicates win, unknown types above the table size are ignored, and malformed lengths stop the
 * walk with {@link MalformedNetlinkException} so a bad kernel message never reads out of bounds.
 */
public final class NlAttrs {
    private static final int TYPE_MASK = 0x3fff;

    private final ByteBuffer buf;
    private final int[] offset;
    private final int[] length;

    private NlAttrs(ByteBuffer buf, int maxType) {
        this.buf = buf;
        this.offset = new int[maxType + 1];
        this.length = new int[maxType + 1];
        java.util.Arrays.fill(offset, -1);
    }

    /** Indexes attributes in {@code buf[from, to)}; {@code buf} must be in native order. */
    public static NlAttrs parse(ByteBuffer buf, int from, int to, int maxType) {
        NlAttrs a = new NlAttrs(buf, maxType);
        int p = from;
        while (p + 4 <= to) {
            int len = Short.toUnsignedInt(buf.getShort(p));
            int type = Short.toUnsignedInt(buf.getShort(p + 2)) & TYPE_MASK;
            if (len < 4 || p + len > to) {
                throw new MalformedNetlinkException("attribute type " + type + " length " + len + " at " + p + " overruns " + to);
            }
            if (type <= maxType) {
                a.offset[type] = p + 4;
                a.length[type] = len - 4;
            }
            p += (len + 3) & ~3;
        }
        return a;
    }

    public boolean has(int type) {
        return type < offset.length && offset[type] >= 0;
    }

    public int length(int type) {
        return has(type) ? length[type] : -1;
    }

    public int u8(int type) {
        need(type, 1);
        return Byte.toUnsignedInt(buf.get(offset[type]));
    }

    public int be16(int type) {
        need(type, 2);
        return Short.toUnsignedInt(buf.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(offset[type]));
    }

    public int be32(int type) {
        need(type, 4);
        return buf.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(offset[type]);
    }

    public byte[] bytes(int type) {
        need(type, 0);
        byte[] out = new byte[length[type]];
        buf.get(offset[type], out);
        return out;
    }

    /** Indexes the attributes nested in {@code type}. */
    public NlAttrs nested(int type, int maxType) {
        need(type, 0);
        return parse(buf, offset[type], offset[type] + length[type], maxType);
    }

    private void need(int type, int min) {
        if (!has(type)) {
            throw new MalformedNetlinkException("attribute type " + type + " missing");
        }
        if (length[type] < min) {
            throw new MalformedNetlinkException("attribute type " + type + " has " + length[type] + " bytes, needs " + min);
        }
    }
}
