package io.carpd.core.runtime;

import java.util.List;
import java.util.Map;

/**
 * Sorts the election's free-text transition reasons into a few snake_case categories, usable as a
 * metric label (low cardinality). The human text itself stays in the log and the journal.
 */
final class TransitionCause {

    /** Reason prefix → category, first match wins; "no advertisement for …" (any family) is master_down. */
    private static final List<Map.Entry<String, String>> PREFIXES = List.of(
            Map.entry("no ", "master_down"),
            Map.entry("bow-out", "bow_out"),
            Map.entry("master will time out", "master_down"),
            Map.entry("preempted", "preempted"),
            Map.entry("preempting", "preempting"),
            Map.entry("yielded", "yielded"),
            Map.entry("master is demoted", "peer_demoted"),
            Map.entry("demoted", "demoted"),
            Map.entry("link down", "link_down"),
            Map.entry("link up", "link_up"),
            Map.entry("disabled", "disabled"),
            Map.entry("enabled", "enabled"),
            Map.entry("started", "start"),
            Map.entry("stopped", "stop"));

    private TransitionCause() {}

    static String category(String reason) {
        if (reason == null) return "other";
        for (var e : PREFIXES) {
            if (reason.startsWith(e.getKey())) return e.getValue();
        }
        return "other";
    }
}
