package io.carpd.core.config;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * Optional TCP listener of the control API.
 *
 * @param bind      address to listen on (loopback by default)
 * @param port      TCP port
 * @param tokenFile bearer token required for mutations; null only for a loopback bind
 */
public record TcpListenerConfig(InetAddress bind, int port, Path tokenFile) {
}
