package io.carpd.pfsync.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.carpd.pfsync.wire.SyncRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Config messages as JSON, cut into {@link SyncRecord.ConfigFragment}s. The config connection
 * carries nothing else and TCP keeps order, so a {@link Reassembler} only has to concatenate.
 */
public final class ConfigMessageCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Largest message accepted, so a broken or hostile peer cannot make us buffer without end. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;

    private ConfigMessageCodec() {
    }

    public static byte[] encode(ConfigMessage m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are no config message */
    public static ConfigMessage decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ConfigMessage.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed config-sync message: " + e.getMessage(), e);
        }
    }

    public static List<SyncRecord> fragments(ConfigMessage m) {
        byte[] bytes = encode(m);
        List<SyncRecord> out = new ArrayList<>();
        int max = SyncRecord.ConfigFragment.MAX_DATA;
        for (int off = 0; off < bytes.length || out.isEmpty(); off += max) {
            int end = Math.min(bytes.length, off + max);
            out.add(new SyncRecord.ConfigFragment(end == bytes.length, Arrays.copyOfRange(bytes, off, end)));
        }
        return out;
    }

    /** Joins fragments back into messages; one per connection (drop it with the connection). */
    public static final class Reassembler {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        /**
         * The completed message, or null while more fragments are due.
         *
         * @throws IllegalArgumentException when the message grows too large or does not decode
         */
        public ConfigMessage add(SyncRecord.ConfigFragment f) {
            if (pending.size() + f.data().length > MAX_MESSAGE_BYTES) {
                pending.reset();
                throw new IllegalArgumentException("config-sync message exceeds " + MAX_MESSAGE_BYTES + " bytes");
            }
            pending.writeBytes(f.data());
            if (!f.last()) {
                return null;
            }
            byte[] bytes = pending.toByteArray();
            pending.reset();
            return decode(bytes);
        }
    }
}
