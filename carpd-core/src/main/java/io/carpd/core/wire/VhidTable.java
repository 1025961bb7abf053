package io.carpd.core.wire;

/**
 * The decoder's view of the local virtual hosts on the receiving interface. Called on the capture
 * thread for every CARP-shaped packet, so implementations must not block or allocate.
 */
public interface VhidTable {

    /** The virtual host's auth context, or null when this interface has no such vhid. */
    CarpAuth auth(int vhid);

    /** Whether {@code counter} equals one this node sent for {@code vhid} (loop detection, spec §4). */
    boolean isOwnCounter(int vhid, long counter);
}
