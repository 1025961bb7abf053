package io.carpd.pfsync.link;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Where and how the sync link runs.
 *
 * @param local        our address on the sync interface (bound for listening and dialling)
 * @param peer         the peer's address; connections from elsewhere are refused
 * @param port         TCP port, the same on both nodes
 * @param key          shared key (at least 16 bytes) for the frame MACs
 * @param nodeId       this node's id in HELLO (must differ from the peer's)
 * @param redialMin    first redial delay after a failed or lost connection (doubles up to redialMax)
 * @param redialMax    longest redial delay
 */
public record LinkSettings(InetAddress local, InetAddress peer, int port, byte[] key, int nodeId,
                           Duration redialMin, Duration redialMax) {
    public LinkSettings {
        if (local.equals(peer)) {
            throw new IllegalArgumentException("sync local and peer address are both " + local.getHostAddress());
        }
        if (local.getClass() != peer.getClass()) {
            throw new IllegalArgumentException("sync local " + local.getHostAddress() + " and peer "
                    + peer.getHostAddress() + " are of different families");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("sync port " + port + " out of range 1..65535");
        }
        key = key.clone();
    }

    /**
     * Whether this node dials: the lower address does, so exactly one connection exists and both
     * nodes agree without talking.
     */
    public boolean dials() {
        byte[] a = local.getAddress();
        byte[] b = peer.getAddress();
        return java.util.Arrays.compareUnsigned(a, b) < 0;
    }
}
