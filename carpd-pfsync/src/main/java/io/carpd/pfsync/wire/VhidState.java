package io.carpd.pfsync.wire;

import io.carpd.core.election.CarpState;

import java.nio.charset.StandardCharsets;

/** One VHID of a node as its peer sees it over the sync link: interface, VHID, CARP state. */
public record VhidState(String iface, int vhid, CarpState state) {
    /** Longest interface name on the wire (Linux IFNAMSIZ - 1 is 15; room to spare). */
    public static final int MAX_IFACE_BYTES = 32;

    public VhidState {
        if (iface == null || iface.isEmpty() || iface.getBytes(StandardCharsets.UTF_8).length > MAX_IFACE_BYTES) {
            throw new IllegalArgumentException("VHID state interface name '" + iface + "' is empty or longer than "
                    + MAX_IFACE_BYTES + " bytes");
        }
        if (vhid < 1 || vhid > 255) {
            throw new IllegalArgumentException("VHID " + vhid + " on " + iface + " is outside 1..255");
        }
        if (state == null) {
            throw new IllegalArgumentException("VHID " + vhid + " on " + iface + " has no state");
        }
    }
}
