package io.carpd.core.election;

import java.util.Set;

/**
 * Election parameters of one VHID on one interface.
 *
 * @param vhid              1..255
 * @param advbase           seconds, 0..255 (0 for sub-second profiles)
 * @param advskew           configured skew, 0..254
 * @param preempt           a better BACKUP takes over a live MASTER
 * @param deadRatio         master-down multiplier, default 3
 * @param masterDown        which master-down formula
 * @param hasInet           has IPv4 addresses (adverts and a master-down timer for IPv4)
 * @param hasInet6          has IPv6 addresses (adverts and a master-down timer for IPv6)
 * @param groups            demotion groups besides "carp"
 */
public record VirtualHostConfig(
        int vhid,
        int advbase,
        int advskew,
        boolean preempt,
        int deadRatio,
        MasterDownFormula masterDown,
        boolean hasInet,
        boolean hasInet6,
        Set<String> groups) {

    /** Master-down formulas of spec §3.2. */
    public enum MasterDownFormula {
        /** deadRatio·advbase + advskew/256 (OpenBSD 1.270, FreeBSD, ucarp). Default. */
        CLASSIC,
        /** deadRatio·(advbase + advskew/256) (OpenBSD current). */
        OPENBSD_CURRENT
    }

    public VirtualHostConfig {
        if (vhid < 1 || vhid > 255) throw new IllegalArgumentException("vhid out of range 1..255: " + vhid);
        if (advbase < 0 || advbase > 255) throw new IllegalArgumentException("advbase out of range 0..255: " + advbase);
        if (advskew < 0 || advskew > 254) throw new IllegalArgumentException("advskew out of range 0..254: " + advskew);
        if (deadRatio < 1 || deadRatio > 255) throw new IllegalArgumentException("dead ratio out of range 1..255: " + deadRatio);
        if (!hasInet && !hasInet6) throw new IllegalArgumentException("vhid " + vhid + " has no addresses");
        groups = Set.copyOf(groups);
    }
}
