package io.carpd.cli;

import io.carpd.core.api.VipStatus;
import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.ConfigSyncConfig;
import io.carpd.core.election.CarpState;
import io.carpd.core.runtime.Daemon;
import io.carpd.pfsync.config.ConfigHistory;
import io.carpd.pfsync.config.ConfigSections;
import io.carpd.pfsync.config.ConfigSync;
import io.carpd.pfsync.config.NodeIdentity;
import io.carpd.pfsync.link.LinkSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Builds and starts {@link ConfigSync} for {@code carpd run} when {@code config_sync} is configured. */
final class ConfigSyncStarter {
    /**
     * Test hook: the carpd version this node claims in config sync (default: the build's version).
     * The namespace tests set it on one node to provoke the version-mismatch refusal; an operator
     * can use it to rehearse a rolling upgrade. Never needed in production.
     */
    static final String VERSION_PROPERTY = "carpd.configSync.version";

    private ConfigSyncStarter() {
    }

    /** The started component, or null when config sync is not configured. */
    static ConfigSync start(CarpdConfig cfg, Path configFile, Daemon daemon) throws IOException, InterruptedException {
        ConfigSyncConfig cs = cfg.configSync();
        if (cs == null || cfg.sync() == null) {
            return null;
        }
        byte[] key = StateSyncWiring.readKey(cfg.sync());
        LinkSettings link = ConfigSync.linkFor(LinkSettings.forConfig(cfg.sync(), key));
        NodeIdentity self = new NodeIdentity(cfg.node(), System.getProperty(VERSION_PROPERTY, Main.Version.number()),
                ConfigSyncConfig.SCHEMA_VERSION);
        var sections = ConfigSections.of(cs, configFile, () -> {
            var r = daemon.reload();
            return r.ok() ? null : String.join("; ", r.errors());
        });
        var history = new ConfigHistory(cfg.stateDir().resolve("config-sync").resolve("history"), cs.keepVersions());
        var settings = new ConfigSync.Settings(self, sections, history, cs.transferTimeout(), cs.commandTimeout(),
                cs.rateLimitKibps(), cs.afterReload());
        ConfigSync.NodeView view = new ConfigSync.NodeView() {
            @Override
            public List<String> notMaster() {
                return daemon.status().vips().stream().filter(v -> v.state() != CarpState.MASTER)
                        .map((VipStatus v) -> "vhid " + v.vhid() + " on " + v.iface() + " is " + v.state()).toList();
            }

            @Override
            public List<String> masterOf() {
                return daemon.status().vips().stream().filter(v -> v.state() == CarpState.MASTER)
                        .map((VipStatus v) -> "vhid " + v.vhid() + " on " + v.iface()).toList();
            }
        };
        ConfigSync sync = new ConfigSync(link, settings, view, ConfigSections.outgoing(daemon::config, cs.vhids()));
        sync.start();
        return sync;
    }
}
