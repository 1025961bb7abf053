package io.carpd.core.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal HTTP/1.1 client for the control API, over the Unix socket (or TCP): one request per
 * connection, {@code Connection: close}, Content-Length or chunked bodies. Used by the CLI verbs.
 */
public final class ControlClient {

    private final SocketAddress address;
    private final String token;

    /** Talks to the Unix socket at {@code socket}. */
    public ControlClient(Path socket) {
        this(UnixDomainSocketAddress.of(socket), null);
    }

    /** Talks to {@code address} (Unix or TCP), sending {@code token} as a bearer token when not null. */
    public ControlClient(SocketAddress address, String token) {
        this.address = address;
        this.token = token;
    }

    /** A complete answer. Header names are lower-case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Response get(String pathAndQuery) throws IOException {
        return exchange("GET", pathAndQuery, null);
    }

    public Response post(String path, String json) throws IOException {
        return exchange("POST", path, json == null ? "" : json);
    }

    /** Sends a request with an optional body ({@code null} = none) and reads the whole answer. */
    public Response exchange(String method, String pathAndQuery, String body) throws IOException {
        try (SocketChannel ch = connect()) {
            send(ch, method, pathAndQuery, body);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            Head head = readHead(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            readBody(in, head, out::writeBytes);
            return new Response(head.status, head.headers, out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * GETs a streaming resource and hands each line of the body to {@code lines} as it arrives,
     * until the server ends the stream or the thread is interrupted. A non-2xx answer is returned
     * whole instead (with its body), and no line is delivered.
     */
    public Response stream(String pathAndQuery, Consumer<String> lines) throws IOException {
        try (SocketChannel ch = connect()) {
            send(ch, "GET", pathAndQuery, null);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            Head head = readHead(in);
            if (head.status < 200 || head.status >= 300) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                readBody(in, head, out::writeBytes);
                return new Response(head.status, head.headers, out.toString(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            readBody(in, head, bytes -> {
                for (byte b : bytes) {
                    if (b == '\n') {
                        lines.accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            });
            if (line.size() > 0) lines.accept(line.toString(StandardCharsets.UTF_8));
            return new Response(head.status, head.headers, "");
        }
    }

    private SocketChannel connect() throws IOException {
        try {
            return SocketChannel.open(address);
        } catch (IOException e) {
            throw new IOException("cannot connect to " + describe(address) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress u ? u.getPath().toString() : a.toString();
    }

    private void send(SocketChannel ch, String method, String target, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: carpd\r\nConnection: close\r\nAccept: application/json\r\n");
        if (token != null) req.append("Authorization: Bearer ").append(token).append("\r\n");
        if (body != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        req.append("\r\n");
        ByteBuffer buf = ByteBuffer.allocate(req.length() + content.length);
        buf.put(req.toString().getBytes(StandardCharsets.US_ASCII)).put(content).flip();
        while (buf.hasRemaining()) ch.write(buf);
    }

    private record Head(int status, Map<String, String> headers) {}

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + statusLine);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(status, headers);
    }

    private static void readBody(InputStream in, Head head, Consumer<byte[]> sink) throws IOException {
        if ("chunked".equalsIgnoreCase(head.headers.get("transfer-encoding"))) {
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + sizeLine);
                }
                if (size == 0) {
                    while (!readLine(in).isEmpty()) { /* trailers */ }
                    return;
                }
                sink.accept(readExactly(in, size));
                readLine(in);
            }
        }
        String length = head.headers.get("content-length");
        if (length != null) {
            sink.accept(readExactly(in, Integer.parseInt(length)));
        } else {
            sink.accept(in.readAllBytes());
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new EOFException("connection closed in the middle of the answer");
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new EOFException("connection closed before the answer was complete");
            if (c != '\r') line.write(c);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
