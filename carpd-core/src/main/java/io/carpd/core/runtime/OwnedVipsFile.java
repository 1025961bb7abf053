package io.carpd.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The record of VIPs this node has added ({@code <runtime_dir>/owned-vips}), so that a daemon
 * restarted after a crash can remove addresses a dead MASTER left behind. The file is always
 * replaced atomically (temp file, fsync, rename, fsync of the directory): after a crash it holds
 * either the old or the new set, never a torn mix.
 */
public final class OwnedVipsFile {

    private static final Logger log = LoggerFactory.getLogger(OwnedVipsFile.class);

    private final Path file;

    public OwnedVipsFile(Path runtimeDir) {
        this.file = runtimeDir.resolve("owned-vips");
    }

    public Path path() {
        return file;
    }

    /** The recorded VIPs; none if there is no file. Malformed lines are logged with their number and skipped. */
    public List<OwnedVip> read() throws IOException {
        if (!Files.exists(file)) return List.of();
        List<OwnedVip> vips = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                vips.add(OwnedVip.parse(line));
            } catch (IllegalArgumentException e) {
                log.warn("{}:{}: ignoring malformed entry '{}': {}", file, i + 1, line, e.getMessage());
            }
        }
        return vips;
    }

    /** Atomically replaces the record; an empty set removes the file. */
    public void write(Collection<OwnedVip> vips) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (vips.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            StringBuilder text = new StringBuilder("# VIPs added by carpd; removed at start if left by a crash\n");
            for (OwnedVip vip : vips) text.append(vip).append('\n');
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    /** Makes the rename (or delete) itself durable. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
