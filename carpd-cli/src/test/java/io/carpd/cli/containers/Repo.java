package io.carpd.cli.containers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the source tree; surefire and failsafe run in the carpd-cli module directory. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("docker/Dockerfile"))) {
            throw new IllegalStateException("no docker/Dockerfile above " + Path.of("").toAbsolutePath() + ": run from carpd-cli");
        }
        return root;
    }

    static Path docker() {
        return root().resolve("docker");
    }
}
