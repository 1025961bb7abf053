package io.carpd.pfsync.link;

import io.carpd.core.config.SyncConfig;

import java.net.InetAddress;
import java.nio.ByteBuffer;
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
     * Settings for the {@code sync:} section of the configuration, with the key read from its
     * key file. The node id is derived from the local sync address (the IPv4 address itself, or a
     * hash of the IPv6 one), so the two nodes always differ and need no extra setting. Redials
     * start at 250 ms and back off to 5 s.
     */
    public static LinkSettings forConfig(SyncConfig config, byte[] key) {
        byte[] a = config.local().getAddress();
        int nodeId = a.length == 4 ? ByteBuffer.wrap(a).getInt() : java.util.Arrays.hashCode(a);
        return new LinkSettings(config.local(), config.peer(), config.port(), key, nodeId,
                Duration.ofMillis(250), Duration.ofSeconds(5));
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
