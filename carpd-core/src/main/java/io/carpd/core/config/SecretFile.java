package io.carpd.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** Reads small secrets (CARP password, sync key, API token) named in the config, checking them on the way. */
final class SecretFile {
    /** Secrets are short; anything bigger is a wrong path (a log, a device), not a key. */
    private static final long MAX_BYTES = 4096;

    private SecretFile() {
    }

    /**
     * The file's bytes without trailing line breaks, or null when unusable (reported at {@code at}).
     * A file readable by every user draws a warning.
     */
    static byte[] read(Path file, Node at, String field, Problems problems) {
        try {
            if (!Files.isRegularFile(file)) {
                if (Files.exists(file)) {
                    problems.error(at, field, "cannot read " + file + ": "
                            + (Files.isDirectory(file) ? "Is a directory" : "not a regular file"));
                    return null;
                }
            } else if (Files.size(file) > MAX_BYTES) {
                problems.error(at, field, file + " is " + Files.size(file) + " bytes; a secret file holds at most " + MAX_BYTES);
                return null;
            }
            byte[] content = Files.readAllBytes(file);
            int end = content.length;
            while (end > 0 && (content[end - 1] == '\n' || content[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                problems.error(at, field, file + " is empty");
                return null;
            }
            warnIfWorldReadable(file, at, field, problems);
            return Arrays.copyOf(content, end);
        } catch (IOException e) {
            problems.error(at, field, "cannot read " + file + ": " + reason(e));
            return null;
        }
    }

    /** An errno-like reason ("No such file or directory") instead of Java's exception names. */
    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case NotDirectoryException x -> "Not a directory";
            case CharacterCodingException x -> "not valid UTF-8";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private static void warnIfWorldReadable(Path file, Node at, String field, Problems problems) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            problems.warning(at, field, file + " is readable by every user; restrict it (chmod 600)");
        }
    }
}
