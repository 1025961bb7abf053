package io.carpd.core.linux;

/**
 * A kernel or libpcap call failed. The message names the object (interface, address) and the errno
 * text; {@link #errno()} is the raw errno, or 0 when the failure did not come with one.
 */
public final class LinuxIoException extends RuntimeException {
    private final int errno;

    public LinuxIoException(String message, int errno) {
        super(errno == 0 ? message : message + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public LinuxIoException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
