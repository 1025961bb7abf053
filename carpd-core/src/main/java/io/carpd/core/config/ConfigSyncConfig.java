package io.carpd.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the MASTER pushes to the BACKUP over the sync link (carpd-pfsync config sync), and how.
 * Sections are matched between the nodes by name; each node maps a name to its own path and
 * commands, so node-specific locations never travel.
 *
 * @param afterReload      push automatically after every successful {@code carpd reload}
 * @param keepVersions     previous versions kept on the receiving node for {@code --rollback}
 * @param transferTimeout  an unfinished transfer idle this long is abandoned (peer keeps its config)
 * @param commandTimeout   a validate or apply command running longer is killed and counts as failed
 * @param rateLimitKibps   sending rate cap in KiB/s; 0 = unlimited
 * @param vhids            carpd's own VHID definitions, or null when they are not synced
 * @param files            named files, in push and apply order
 */
public record ConfigSyncConfig(boolean afterReload, int keepVersions, Duration transferTimeout, Duration commandTimeout,
                               int rateLimitKibps, VhidSync vhids, List<SyncedFile> files) {
    /** Bumped whenever the meaning of a synced section changes; both nodes must agree. */
    public static final int SCHEMA_VERSION = 1;

    public ConfigSyncConfig {
        files = List.copyOf(files);
    }

    /**
     * One named file.
     *
     * @param name     section name, the same on both nodes
     * @param path     where this node keeps it
     * @param sync     false: the section never leaves this node and is never accepted from the peer
     * @param validate shell command checking a candidate file; {@code {}} is replaced by its quoted path
     * @param apply    shell command activating the file once in place; {@code {}} is its quoted path
     */
    public record SyncedFile(String name, Path path, boolean sync, String validate, String apply) {}

    /**
     * carpd's VHID definitions (timers, preempt, addresses, groups). One node sends its own, the
     * other receives them into {@code file}, which its loader lays over its own {@code vhids}
     * entries of the same number; interface names, unicast peers and passwords stay local. Fixed
     * roles keep the derived advskew from being derived again on the way back after a failover.
     *
     * @param send          true: this node sends its definitions; false: it receives them
     * @param advskewOffset (sender) added to each advskew on its way to the peer, capped at 254
     * @param file          (receiver) where the received definitions are kept; null on the sender
     */
    public record VhidSync(boolean send, int advskewOffset, Path file) {
        public static final String SECTION = "vhids";
        public static final int MAX_ADVSKEW = 254;

        /** The advskew the peer runs with for our {@code advskew}: like OPNsense, +offset capped at 254. */
        public int peerAdvskew(int advskew) {
            return Math.min(MAX_ADVSKEW, advskew + advskewOffset);
        }
    }
}
