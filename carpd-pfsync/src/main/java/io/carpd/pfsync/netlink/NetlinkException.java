package io.carpd.pfsync.netlink;

/** A netlink call or request failed; {@link #errno()} is the positive errno, 0 when there was none. */
public final class NetlinkException extends RuntimeException {
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int ENOBUFS = 105;

    private final int errno;

    public NetlinkException(String what, int errno) {
        super(errno == 0 ? what : what + ": errno " + errno + " (" + name(errno) + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 22 -> "EINVAL";
            case 95 -> "EOPNOTSUPP";
            case 105 -> "ENOBUFS";
            default -> "errno " + errno;
        };
    }
}
