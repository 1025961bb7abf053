package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Rate-limited warning for adverts failing HMAC: a peer with another password (or another address
 * set, or a VRRP router with the same id) sends one per second forever, so each VHID logs at most
 * once per interval, with how many were suppressed since. Loop-thread only.
 */
final class BadHmacLog {

    private static final Logger log = LoggerFactory.getLogger(BadHmacLog.class);

    private record Window(long openedAt, long suppressed) {}

    private final long intervalNanos;
    private final Map<VhKey, Window> windows = new HashMap<>();

    BadHmacLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Records one bad advert; returns the line that was logged, or null if it was suppressed. */
    String badAdvert(VhKey key, String source, long now) {
        Window w = windows.get(key);
        if (w != null && now - w.openedAt() < intervalNanos) {
            windows.put(key, new Window(w.openedAt(), w.suppressed() + 1));
            return null;
        }
        long earlier = w == null ? 0 : w.suppressed();
        windows.put(key, new Window(now, 0));
        String line = key + ": advertisement from " + source + " failed HMAC (wrong password or address set?)"
                + (earlier > 0 ? "; " + earlier + " more since the last report" : "");
        log.warn(line);
        return line;
    }
}
