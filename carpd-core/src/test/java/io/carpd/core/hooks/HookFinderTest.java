package io.carpd.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookFinderTest {
    @TempDir
    Path tmp;

    @Test
    void commandsFirstThenDirectoryExecutablesInNameOrderSkippingLeftovers() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("hooks.d"));
        Path command = executable(tmp.resolve("notify"));
        executable(dir.resolve("20-b"));
        executable(dir.resolve("10-a"));
        executable(dir.resolve("9-z"));
        Files.writeString(dir.resolve("05-not-executable"), "#!/bin/sh\n");
        executable(dir.resolve(".10-hidden"));
        executable(dir.resolve("10-a~"));
        executable(dir.resolve("#10-a#"));
        executable(dir.resolve("10-a.dpkg-old"));
        executable(dir.resolve("10-a.dpkg-dist"));
        executable(dir.resolve("10-a.rpmnew"));
        executable(dir.resolve("10-a.rpmsave"));
        Files.createDirectory(dir.resolve("30-directory"));

        assertThat(new HookFinder(dir, List.of(command)).find())
                .containsExactly(command, dir.resolve("10-a"), dir.resolve("20-b"), dir.resolve("9-z"));
    }

    @Test
    void theDirectoryIsReadForEveryEvent() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("hooks.d"));
        HookFinder finder = new HookFinder(dir, List.of());
        assertThat(finder.find()).isEmpty();

        executable(dir.resolve("10-new"));
        assertThat(finder.find()).containsExactly(dir.resolve("10-new"));
    }

    @Test
    void aMissingDirectoryOrCommandIsSkipped() throws IOException {
        Path command = executable(tmp.resolve("notify"));
        assertThat(new HookFinder(tmp.resolve("absent"), List.of(tmp.resolve("gone"), command)).find())
                .containsExactly(command);
    }

    private static Path executable(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
