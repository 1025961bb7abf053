package io.carpd.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Transition hooks.
 *
 * @param dir     directory whose executables run in name order on every transition
 * @param timeout a hook still running after this is killed
 */
public record HooksConfig(Path dir, Duration timeout) {
}
