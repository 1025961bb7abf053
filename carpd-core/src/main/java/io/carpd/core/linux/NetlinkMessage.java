package io.carpd.core.linux;

import java.nio.ByteBuffer;

/**
 * One received netlink message. {@code payload} is a host-order buffer holding everything after the
 * 16-byte header (family header, then attributes), positioned at 0.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int HEADER_LENGTH = 16;

    /** For NLMSG_ERROR: 0 for an acknowledgement, otherwise a negative errno. */
    public int error() {
        return payload.getInt(0);
    }
}
