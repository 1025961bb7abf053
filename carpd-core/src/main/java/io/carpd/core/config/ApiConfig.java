package io.carpd.core.config;

import java.nio.file.Path;

/**
 * Control API listeners.
 *
 * @param socket      Unix socket path (mode 0600); defaults to {@code <runtime_dir>/carpd.sock}
 * @param socketGroup group allowed to use the socket, or null
 * @param tcp         TCP listener, or null when none is configured
 */
public record ApiConfig(Path socket, String socketGroup, TcpListenerConfig tcp) {
}
