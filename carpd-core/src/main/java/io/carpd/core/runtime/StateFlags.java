package io.carpd.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Operator flags that survive restarts, one small file each in {@code state_dir}: {@code maintenance}
 * and {@code disabled}, containing {@code on} while set. A node put into maintenance must not win an
 * election just because it was rebooted.
 */
public final class StateFlags {

    public enum Flag {
        MAINTENANCE("maintenance"),
        DISABLED("disabled");

        private final String fileName;

        Flag(String fileName) {
            this.fileName = fileName;
        }
    }

    private final Path stateDir;

    public StateFlags(Path stateDir) {
        this.stateDir = stateDir;
    }

    public boolean isSet(Flag flag) throws IOException {
        Path file = stateDir.resolve(flag.fileName);
        return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).strip().equals("on");
    }

    /** Sets or clears the flag durably (atomic replace; clearing removes the file). */
    public void set(Flag flag, boolean on) throws IOException {
        Path file = stateDir.resolve(flag.fileName);
        if (!on) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(flag.fileName + ".tmp");
        Files.writeString(tmp, "on\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
