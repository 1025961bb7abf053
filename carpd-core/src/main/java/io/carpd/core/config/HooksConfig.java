package io.carpd.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Transition hooks.
 *
 * @param dir      directory whose executables run in name order on every transition
 * @param timeout  a hook still running after this is killed
 * @param commands absolute paths of executables run before those of {@code dir}, in this order
 */
public record HooksConfig(Path dir, Duration timeout, List<Path> commands) {
    public HooksConfig {
        commands = List.copyOf(commands);
    }

    /** Hooks from the directory only. */
    public HooksConfig(Path dir, Duration timeout) {
        this(dir, timeout, List.of());
    }
}
