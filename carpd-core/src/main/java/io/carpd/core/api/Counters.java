package io.carpd.core.api;

import io.carpd.core.election.CarpState;
import java.util.List;
import java.util.Map;

/**
 * Cumulative counters since the daemon started (monotonic; they never go down while it runs).
 *
 * @param interfaces  per interface name
 * @param transitions one entry per (iface, vhid, to, reason) seen so far
 */
public record Counters(Map<String, InterfaceCounters> interfaces, List<TransitionCount> transitions) {

    public Counters {
        interfaces = Map.copyOf(interfaces);
        transitions = List.copyOf(transitions);
    }

    /** No traffic, no transitions. */
    public static Counters empty() {
        return new Counters(Map.of(), List.of());
    }

    /**
     * Protocol counters of one interface.
     *
     * @param advertsSent      CARP advertisements sent (all families)
     * @param advertsReceived  advertisements received that passed validation
     * @param drops            dropped packets by {@code DropReason.label()} (snake_case), including
     *                         send and capture errors under labels of the runtime's choosing
     * @param garpSent         gratuitous ARPs sent
     * @param naSent           unsolicited neighbour advertisements sent
     */
    public record InterfaceCounters(
            long advertsSent, long advertsReceived, Map<String, Long> drops, long garpSent, long naSent) {
        public InterfaceCounters {
            drops = Map.copyOf(drops);
        }
    }

    /**
     * How often a VHID entered {@code to} for one reason.
     *
     * @param reason a short snake_case category (low cardinality, usable as a metric label), e.g.
     *               "master_down", "preempted", "higher_priority", "link_down", "link_up", "demoted",
     *               "disabled", "enabled", "stop" — never the free-text human reason
     */
    public record TransitionCount(String iface, int vhid, CarpState to, String reason, long count) {}
}
