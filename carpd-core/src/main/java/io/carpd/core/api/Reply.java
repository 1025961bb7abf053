package io.carpd.core.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete HTTP answer: status, content type, body, extra headers. */
record Reply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    static Reply json(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    static Reply json(HttpResponseStatus status, Object value) {
        return new Reply(status, JSON, ApiJson.bytes(value), Map.of());
    }

    static Reply error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    static Reply error(int status, String message) {
        return error(HttpResponseStatus.valueOf(status), message);
    }

    static Reply text(String contentType, String body) {
        return new Reply(HttpResponseStatus.OK, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    Reply withHeader(String name, String value) {
        var h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, Map.copyOf(h));
    }
}
