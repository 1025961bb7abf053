package io.carpd.pfsync.config;

import java.nio.file.Path;

/** A validate or apply step of a section, run on a file; blocking. */
@FunctionalInterface
public interface Step {
    /** Nothing to do; always succeeds. */
    Step NONE = file -> Outcome.success();

    Outcome run(Path file);

    /** Whether it worked, with what the operator should read when it did not. */
    record Outcome(boolean ok, String detail) {
        public static Outcome success() {
            return new Outcome(true, "");
        }

        public static Outcome failure(String detail) {
            return new Outcome(false, detail);
        }
    }
}
