package io.carpd.core.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * State and config sync link to the peer firewall (carpd-pfsync).
 *
 * @param iface       dedicated sync interface
 * @param local       this node's address on it
 * @param peer        the peer's address on it (same family as {@code local})
 * @param port        UDP/TCP port of the sync protocol
 * @param keyFile     shared key authenticating the link
 * @param bulkTimeout how long a starting node waits for the bulk transfer
 * @param demotion    CARP demotion held until the bulk transfer completes
 */
public record SyncConfig(String iface, InetAddress local, InetAddress peer, int port, Path keyFile,
                         Duration bulkTimeout, int demotion) {
}
