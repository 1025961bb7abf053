package io.carpd.pfsync.wire;

/** A record's payload does not fit its type; the message names the type and the problem. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
