package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;

/**
 * Identity of a connection across both firewalls: zone, family and original tuple. The kernel's
 * CTA_ID is deliberately absent; it differs per host and per boot, and keying on it makes caches
 * grow without bound when events are lost.
 */
public record ConnKey(int zone, Family family, Tuple original) {
    public ConnKey {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("zone " + zone + " out of range 0..65535");
        }
        if (original.family() != family) {
            throw new IllegalArgumentException("family " + family + " does not match tuple " + original);
        }
    }

    // Hand-written: the sync table's hottest calls (the tuple implies the family).
    @Override
    public int hashCode() {
        return original.hashCode() * 31 + zone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnKey k && zone == k.zone && original.equals(k.original);
    }

    @Override
    public String toString() {
        return (zone == 0 ? "" : "zone " + zone + " ") + original;
    }
}
