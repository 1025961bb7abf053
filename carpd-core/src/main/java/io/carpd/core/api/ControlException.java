package io.carpd.core.api;

/** A {@link ControlPlane} command the daemon refuses, with a one-line reason for the operator. */
public final class ControlException extends RuntimeException {

    /** Why it was refused; decides the HTTP status. */
    public enum Kind {
        /** Bad argument, e.g. a demotion out of 0..255 (400). */
        INVALID(400),
        /** Unknown group, interface or VHID (404). */
        NOT_FOUND(404),
        /** Not possible in the current state, e.g. the daemon is stopping (409). */
        CONFLICT(409),
        /** Tried and failed, e.g. the flag could not be persisted (500). */
        FAILED(500);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ControlException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
