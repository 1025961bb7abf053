package io.carpd.core.config;

import java.util.List;

/** A valid configuration and the warnings found while loading it. */
public record LoadedConfig(CarpdConfig config, List<ConfigProblem> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
