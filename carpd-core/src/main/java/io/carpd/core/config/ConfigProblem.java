package io.carpd.core.config;

import java.nio.file.Path;

/**
 * One finding of the config check, positioned at the offending key or value.
 *
 * @param line   1-based; 0 when the problem concerns the file as a whole
 * @param column 1-based; 0 when unknown
 * @param field  dotted path such as {@code vhids[1].vhid}; empty for the whole file
 */
public record ConfigProblem(Path file, int line, int column, String field, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code fw1.yaml:12:5: vhids[1].vhid: 300 is out of range 1..255}, warnings prefixed {@code warning: }. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        sb.append(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (!field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
