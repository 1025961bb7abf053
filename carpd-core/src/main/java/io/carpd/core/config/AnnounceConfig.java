package io.carpd.core.config;

import java.time.Duration;

/**
 * Gratuitous ARP / unsolicited NA after becoming MASTER.
 *
 * @param count    announcements sent at takeover (0 = none)
 * @param interval gap between those announcements
 * @param refresh  period of re-announcements while MASTER; {@link Duration#ZERO} = off
 */
public record AnnounceConfig(int count, Duration interval, Duration refresh) {
    public static final AnnounceConfig DEFAULT = new AnnounceConfig(3, Duration.ofMillis(100), Duration.ZERO);
}
