package io.carpd.core.api;

import io.carpd.core.election.CarpState;
import java.util.List;
import java.util.Set;

/**
 * Snapshot of one virtual host (one VHID on one interface).
 *
 * @param iface             interface name as configured, e.g. "lan"
 * @param vhid              1..255
 * @param state             current CARP state
 * @param advbase           seconds
 * @param advskew           configured skew
 * @param advertisedSkew    skew actually put in adverts (configured skew raised by demotion)
 * @param demotion          effective demotion applied to this VHID (0..255)
 * @param addresses         VIPs in CIDR notation, e.g. "192.0.2.254/24", "2001:db8::1/64"
 * @param groups            demotion groups, always including "carp"
 * @param lastTransition    this VHID's most recent transition, or null if none yet
 */
public record VipStatus(
        String iface,
        int vhid,
        CarpState state,
        int advbase,
        int advskew,
        int advertisedSkew,
        int demotion,
        List<String> addresses,
        Set<String> groups,
        Transition lastTransition) {

    public VipStatus {
        addresses = List.copyOf(addresses);
        groups = Set.copyOf(groups);
    }
}
