package io.carpd.pfsync.netlink;

/** A netlink message did not have the shape its type promises; the message names what and where. */
public final class MalformedNetlinkException extends RuntimeException {
    public MalformedNetlinkException(String message) {
        super(message);
    }
}
