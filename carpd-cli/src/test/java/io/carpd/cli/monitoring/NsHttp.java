package io.carpd.cli.monitoring;

import io.carpd.testing.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Plain HTTP from inside a namespace: each call opens its socket on a thread that entered the
 * namespace, and asks the server to close it, so no connection is reused from another namespace.
 */
final class NsHttp {

    record Response(int status, String body) {}

    private final Netns ns;

    NsHttp(Netns ns) {
        this.ns = ns;
    }

    Response get(String url) throws Exception {
        return exchange("GET", url, null, null);
    }

    Response post(String url, String json, String token) throws Exception {
        return exchange("POST", url, json, token);
    }

    private Response exchange(String method, String url, String json, String token) throws Exception {
        return ns.call(() -> {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            c.setRequestMethod(method);
            c.setRequestProperty("Connection", "close");
            if (token != null) c.setRequestProperty("Authorization", "Bearer " + token);
            if (json != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                int status = c.getResponseCode();
                InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
                return new Response(status, body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new Response(-1, e.toString());
            } finally {
                c.disconnect();
            }
        });
    }
}
