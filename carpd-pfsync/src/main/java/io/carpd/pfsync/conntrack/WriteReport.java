package io.carpd.pfsync.conntrack;

import java.util.List;

/** Outcome of a batch of writes: how many the kernel applied and which it refused, with errno. */
public record WriteReport(int applied, List<Failure> failures) {
    public WriteReport {
        failures = List.copyOf(failures);
    }

    /** A refused write; {@code errno} is positive (e.g. 12 ENOMEM when the table is full). */
    public record Failure(CtWrite write, int errno) {
        @Override
        public String toString() {
            return write + ": refused with errno " + errno;
        }
    }
}
