package io.carpd.core.election;

/** Identifies one virtual host: VHIDs are unique per interface (per L2 segment), not per node. */
public record VhKey(String iface, int vhid) {
    @Override
    public String toString() {
        return "vhid " + vhid + " on " + iface;
    }
}
