package io.carpd.core.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;

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
}
