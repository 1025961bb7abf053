package io.carpd.core.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Where and how the {@link ControlServer} listens (the config's {@code api:} section, already resolved).
 *
 * @param socket      Unix socket path, e.g. {@code <runtime_dir>/carpd.sock}; created mode 0600
 *                    (0660 with {@code socketGroup}); a stale socket file there is replaced
 * @param socketGroup group whose members may use the socket besides root, or null
 * @param tcp         TCP listen address, or null for no TCP listener (port 0 = ephemeral, for tests)
 * @param token       bearer token required for mutating calls over TCP, or null (then TCP is read-only)
 */
public record ControlServerSettings(Path socket, String socketGroup, InetSocketAddress tcp, String token) {

    public ControlServerSettings {
        if (socket == null) throw new IllegalArgumentException("api.socket: a socket path is required");
        if (token != null && token.isBlank()) throw new IllegalArgumentException("api.tcp.token_file: token is empty");
    }

    /** Unix socket only. */
    public static ControlServerSettings unixOnly(Path socket) {
        return new ControlServerSettings(socket, null, null, null);
    }

    /**
     * Reads {@code api.tcp.token_file}: the token is the file's content without surrounding whitespace.
     * Refuses a file other users can read (the token grants control over failover) and an empty one.
     */
    public static String readTokenFile(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("api.tcp.token_file " + file + ": readable by every user; chmod o-r it");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) throw new IOException("api.tcp.token_file " + file + ": file is empty");
        if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IOException("api.tcp.token_file " + file + ": token must be printable ASCII without spaces");
        }
        return token;
    }
}
