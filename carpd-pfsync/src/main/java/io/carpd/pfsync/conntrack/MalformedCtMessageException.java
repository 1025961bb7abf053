package io.carpd.pfsync.conntrack;

/** A conntrack message did not have the shape its type promises; the message says what is wrong. */
public final class MalformedCtMessageException extends RuntimeException {
    public MalformedCtMessageException(String message) {
        super(message);
    }
}
