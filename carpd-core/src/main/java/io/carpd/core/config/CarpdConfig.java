package io.carpd.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One node's whole configuration, validated.
 *
 * @param node       name in logs, status and metrics (defaults to the host name)
 * @param runtimeDir lock file, owned-VIP record, control socket
 * @param stateDir   persistent maintenance / disable flags
 * @param macMode    how VIPs are carried on the wire
 * @param announce   GARP / NA repetition
 * @param vhids      every virtual host, defaults applied, in file order
 * @param api        control API listeners
 * @param hooks      transition hooks, or null when not configured
 * @param sync       sync link, or null when not configured
 * @param configSync config sync over the sync link, or null when not configured
 */
public record CarpdConfig(String node, Path runtimeDir, Path stateDir, MacMode macMode, AnnounceConfig announce,
                          List<VhidConfig> vhids, ApiConfig api, HooksConfig hooks, SyncConfig sync,
                          ConfigSyncConfig configSync) {
    public CarpdConfig {
        vhids = List.copyOf(vhids);
    }

    /** Without config sync. */
    public CarpdConfig(String node, Path runtimeDir, Path stateDir, MacMode macMode, AnnounceConfig announce,
                       List<VhidConfig> vhids, ApiConfig api, HooksConfig hooks, SyncConfig sync) {
        this(node, runtimeDir, stateDir, macMode, announce, vhids, api, hooks, sync, null);
    }
}
