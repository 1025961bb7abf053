package io.carpd.cli.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a lab daemon's control API over its Unix socket (a file under the lab directory, so no
 * namespace needs entering): one HTTP/1.0 GET, body returned.
 */
public final class ControlSocketClient {

    private ControlSocketClient() {}

    /** GETs {@code path} (e.g. {@code /metrics}); a non-2xx status is an error naming socket and path. */
    public static String get(Path socket, String path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: carpd\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String response = out.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String status = response.lines().findFirst().orElse("");
            if (split < 0 || !status.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
                throw new LabException(socket + " GET " + path + ": " + (status.isEmpty() ? "no response" : status));
            }
            return response.substring(split + 4);
        } catch (IOException e) {
            throw new UncheckedIOException(socket + " GET " + path + ": " + e.getMessage(), e);
        }
    }
}
