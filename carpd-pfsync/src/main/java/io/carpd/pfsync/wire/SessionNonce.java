package io.carpd.pfsync.wire;

import java.security.SecureRandom;

/** 128 random bits chosen by each side per connection; binds every frame MAC to this session. */
public record SessionNonce(long high, long low) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static SessionNonce random() {
        return new SessionNonce(RANDOM.nextLong(), RANDOM.nextLong());
    }
}
