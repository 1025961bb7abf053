package io.carpd.core.runtime;

import java.time.Duration;

/**
 * How a new MASTER announces its VIPs: {@code count} rounds {@code interval} apart, then (if
 * {@code refresh} is positive) one round every {@code refresh} while it stays MASTER, for switches
 * and neighbours that forget.
 */
public record AnnouncePolicy(int count, Duration interval, Duration refresh) {

    public AnnouncePolicy {
        if (count < 1) throw new IllegalArgumentException("announce count must be at least 1: " + count);
        if (interval.isNegative()) throw new IllegalArgumentException("negative announce interval: " + interval);
        if (refresh.isNegative()) throw new IllegalArgumentException("negative announce refresh: " + refresh);
    }
}
