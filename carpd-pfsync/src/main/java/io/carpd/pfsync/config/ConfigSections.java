package io.carpd.pfsync.config;

import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.ConfigException;
import io.carpd.core.config.ConfigSyncConfig;
import io.carpd.core.config.VhidOverlay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** This node's sections from its {@code config_sync} section, and what it sends for each. */
public final class ConfigSections {
    private ConfigSections() {
    }

    /** Re-reads carpd's own configuration; returns null on success, else why it was refused. */
    @FunctionalInterface
    public interface Reloader {
        String reload();
    }

    /**
     * @param configFile the node's carpd.yaml (the sender's VHID section is rendered from its config)
     */
    public static List<LocalSection> of(ConfigSyncConfig cs, Path configFile, Reloader reloader) {
        List<LocalSection> out = new ArrayList<>();
        ConfigSyncConfig.VhidSync v = cs.vhids();
        if (v != null && v.send()) {
            out.add(new LocalSection(ConfigSyncConfig.VhidSync.SECTION, configFile, true, false, Step.NONE, Step.NONE));
        } else if (v != null) {
            Step validate = file -> {
                try {
                    VhidOverlay.parse(Files.readString(file, StandardCharsets.UTF_8), file);
                    return Step.Outcome.success();
                } catch (ConfigException e) {
                    return Step.Outcome.failure(e.getProblems().getFirst().toString());
                } catch (java.io.IOException e) {
                    return Step.Outcome.failure("cannot read " + file + ": " + e.getMessage());
                }
            };
            Step apply = file -> {
                String refused = reloader.reload();
                return refused == null ? Step.Outcome.success() : Step.Outcome.failure("carpd reload refused: " + refused);
            };
            out.add(new LocalSection(ConfigSyncConfig.VhidSync.SECTION, v.file(), false, true, validate, apply));
        }
        for (ConfigSyncConfig.SyncedFile f : cs.files()) {
            out.add(new LocalSection(f.name(), f.path(), f.sync(), f.sync(),
                    f.validate() == null ? Step.NONE : new ShellStep(f.validate(), cs.commandTimeout()),
                    f.apply() == null ? Step.NONE : new ShellStep(f.apply(), cs.commandTimeout())));
        }
        return out;
    }

    /**
     * File sections send their bytes; the VHID section sends the running config's definitions
     * (they change with reloads), rendered for the peer by {@code rule} (fixed at start).
     */
    public static ConfigSync.Outgoing outgoing(Supplier<CarpdConfig> current, ConfigSyncConfig.VhidSync rule) {
        return section -> {
            if (rule != null && section.name().equals(ConfigSyncConfig.VhidSync.SECTION)) {
                CarpdConfig c = current.get();
                return VhidOverlay.render(c.node(), c.vhids(), rule).getBytes(StandardCharsets.UTF_8);
            }
            return Files.readAllBytes(section.path());
        };
    }
}
