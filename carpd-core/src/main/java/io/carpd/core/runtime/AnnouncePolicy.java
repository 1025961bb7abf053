package io.carpd.core.runtime;

import java.time.Duration;

/**
 * How a new MASTER announces its VIPs: {@code count} rounds (0 = none) {@code interval} apart, then (if
 * {@code refresh} is positive) one round every {@code refresh} while it stays MASTER, for switches
 * and neighbours that forget.
 */
public record AnnouncePolicy(int count, Duration interval, Duration refresh) {

    public AnnouncePolicy {
        if (count < 0) throw new IllegalArgumentException("negative announce count: " + count);
        if (interval.isNegative()) throw new IllegalArgumentException("negative announce interval: " + interval);
        if (refresh.isNegative()) throw new IllegalArgumentException("negative announce refresh: " + refresh);
    }
}
