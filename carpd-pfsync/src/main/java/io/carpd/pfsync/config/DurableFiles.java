package io.carpd.pfsync.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe file replacement: temp file beside the target, fsync, rename, fsync the directory. */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Name of a staging file for {@code target} in transaction {@code tag}: hidden, beside it. */
    static Path stagingPath(Path target, String tag) {
        return target.resolveSibling("." + target.getFileName() + ".carpd-" + tag);
    }

    static void write(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Moves {@code staged} over {@code target} atomically and makes the rename durable. */
    static void rename(Path staged, Path target) throws IOException {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Replaces {@code target} with {@code content} (or removes it when content is null). */
    static void replace(Path target, byte[] content, String tag) throws IOException {
        if (content == null) {
            Files.deleteIfExists(target);
            fsyncDirectory(target.toAbsolutePath().getParent());
            return;
        }
        Path tmp = stagingPath(target, tag);
        write(tmp, content);
        rename(tmp, target);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover hidden staging file is harmless and overwritten by the next transfer
        }
    }

    /** Content of {@code file}, or null when it does not exist. */
    static byte[] readOrNull(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}
