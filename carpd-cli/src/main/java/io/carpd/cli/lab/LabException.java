package io.carpd.cli.lab;

/** A lab step that could not be carried out; the message names the command or file involved. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
