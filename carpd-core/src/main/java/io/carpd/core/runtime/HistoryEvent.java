package io.carpd.core.runtime;

import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;

import java.time.Instant;

/** Something an operator wants in {@code carpd events}: state transitions and demotion changes. */
public sealed interface HistoryEvent {

    /** Wall-clock time of the event (for humans; the protocol only uses monotonic time). */
    Instant time();

    /** The one-line description also written to the log. */
    String message();

    record Transition(Instant time, VhKey key, CarpState from, CarpState to, String reason) implements HistoryEvent {
        @Override
        public String message() {
            return key + ": " + from + " -> " + to + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    record Demotion(Instant time, String group, int total, String reason) implements HistoryEvent {
        @Override
        public String message() {
            return "demotion of group " + group + " is now " + total
                    + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }
}
