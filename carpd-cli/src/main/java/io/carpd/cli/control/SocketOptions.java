package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the daemon's control socket is: {@code --socket}, else the config file's {@code api.socket}
 * (or {@code <runtime_dir>/carpd.sock}) from {@code -c FILE} or, when readable,
 * {@value #DEFAULT_CONFIG}; else {@value #DEFAULT_SOCKET}.
 *
 * <p>Only those two keys are read, without validating the rest of the file: a member of
 * {@code socket_group} must be able to run the verbs without access to the CARP password files the
 * full configuration refers to.
 */
public final class SocketOptions {

    public static final String DEFAULT_SOCKET = "/run/carpd/carpd.sock";
    public static final String DEFAULT_CONFIG = "/etc/carpd/carpd.yaml";

    @Option(names = "--socket", paramLabel = "PATH", description = "control socket (default: from the config, else " + DEFAULT_SOCKET + ")")
    Path socket;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "read the socket path from this carpd config file (default: " + DEFAULT_CONFIG + " if readable)")
    Path config;

    /** The socket to talk to. */
    public Path socket() throws IOException {
        if (socket != null) return socket;
        Path config = this.config;
        if (config == null) {
            Path fallback = Path.of(DEFAULT_CONFIG);
            if (!Files.isReadable(fallback)) return Path.of(DEFAULT_SOCKET);
            config = fallback;
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
        } catch (IOException e) {
            throw new IOException(config + ": " + e.getMessage().lines().findFirst().orElse("unreadable"), e);
        }
        JsonNode api = root == null ? null : root.path("api").path("socket");
        if (api != null && api.isTextual()) return Path.of(api.textValue());
        JsonNode runtimeDir = root == null ? null : root.path("runtime_dir");
        if (runtimeDir != null && runtimeDir.isTextual()) return Path.of(runtimeDir.textValue(), "carpd.sock");
        return Path.of(DEFAULT_SOCKET);
    }
}
