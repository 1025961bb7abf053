package io.carpd.core.hooks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which executables make up the hooks: the configured commands in their listed order, then the
 * executables of the hook directory sorted by file name. The directory is read anew for every
 * event so hooks can be added or removed without a reload. Files a package manager or an editor
 * leaves behind (dotfiles, {@code *~}, {@code #*#}, {@code *.dpkg-*}, {@code *.rpmnew},
 * {@code *.rpmsave}) and non-executable files are skipped, with a debug log. Used by the hook
 * worker thread only.
 */
final class HookFinder {
    private static final Logger log = LoggerFactory.getLogger(HookFinder.class);

    private final Path dir;
    private final List<Path> commands;
    private boolean missingDirLogged;

    /** @param dir the hook directory, or null for none */
    HookFinder(Path dir, List<Path> commands) {
        this.dir = dir;
        this.commands = List.copyOf(commands);
    }

    /** The hooks to run for the next event, in order. */
    List<Path> find() {
        List<Path> hooks = new ArrayList<>();
        for (Path c : commands) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) {
                hooks.add(c);
            } else {
                log.warn("hook command {} is not an executable file; skipped", c);
            }
        }
        if (dir != null) {
            hooks.addAll(fromDirectory());
        }
        return hooks;
    }

    private List<Path> fromDirectory() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (isLeftover(name)) {
                    log.debug("hook directory {}: skipping {} (backup or package-manager file)", dir, name);
                } else if (!Files.isRegularFile(p)) {
                    log.debug("hook directory {}: skipping {} (not a regular file)", dir, name);
                } else if (!Files.isExecutable(p)) {
                    log.debug("hook directory {}: skipping {} (not executable)", dir, name);
                } else {
                    found.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            if (!missingDirLogged) {
                log.info("hook directory {} does not exist; only configured hook commands run", dir);
                missingDirLogged = true;
            }
            return List.of();
        } catch (IOException e) {
            log.warn("hook directory {} cannot be read, its hooks are skipped: {}", dir, e.toString());
            return List.of();
        }
        missingDirLogged = false;
        // Name order as the C locale sorts ASCII names, so "10-x" runs before "20-y" everywhere.
        found.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return found;
    }

    static boolean isLeftover(String name) {
        return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"))
                || name.contains(".dpkg-") || name.endsWith(".rpmnew") || name.endsWith(".rpmsave");
    }
}
