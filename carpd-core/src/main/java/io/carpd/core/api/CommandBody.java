package io.carpd.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/** A mutating call's JSON body, checked field by field so a 400 can say exactly what is wrong. */
final class CommandBody {

    /** Thrown for a body that cannot be used; the message is the API's error text. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private final ObjectNode node;

    private CommandBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses {@code body} (empty means {}) and rejects fields outside {@code allowed}. */
    static CommandBody parse(byte[] body, Set<String> allowed) throws Invalid {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) return new CommandBody(ApiJson.MAPPER.createObjectNode());
        JsonNode n;
        try {
            n = ApiJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid(ApiJson.describe(e));
        }
        if (!(n instanceof ObjectNode obj)) throw new Invalid("request body must be a JSON object");
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw new Invalid("unknown field '" + f + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        return new CommandBody(obj);
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    boolean requireBoolean(String field) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new Invalid("missing field '" + field + "' (true or false)");
        if (!v.isBoolean()) throw new Invalid("field '" + field + "' must be true or false, got " + v);
        return v.booleanValue();
    }

    int requireInt(String field, int min, int max) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new Invalid("missing field '" + field + "' (integer " + min + ".." + max + ")");
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new Invalid("field '" + field + "' must be an integer " + min + ".." + max + ", got " + v);
        }
        return v.intValue();
    }

    String optionalString(String field, String fallback) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual() || v.textValue().isBlank()) throw new Invalid("field '" + field + "' must be a non-empty string, got " + v);
        return v.textValue();
    }
}
