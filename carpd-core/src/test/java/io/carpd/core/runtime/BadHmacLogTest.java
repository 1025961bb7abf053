package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BadHmacLogTest {

    private static final long S = 1_000_000_000L;

    @Test
    void logsOncePerIntervalPerVhidWithTheSuppressedCount() {
        BadHmacLog log = new BadHmacLog(10 * S);
        VhKey lan2 = new VhKey("lan", 2);
        VhKey wan1 = new VhKey("wan", 1);

        assertThat(log.badAdvert(lan2, "192.0.2.2", 0)).isEqualTo(
                "vhid 2 on lan: advertisement from 192.0.2.2 failed HMAC (wrong password or address set?)");
        assertThat(log.badAdvert(lan2, "192.0.2.2", 1 * S)).isNull();
        assertThat(log.badAdvert(lan2, "192.0.2.2", 2 * S)).isNull();
        assertThat(log.badAdvert(wan1, "203.0.113.3", 3 * S)).isNotNull();
        assertThat(log.badAdvert(lan2, "192.0.2.2", 10 * S)).endsWith("; 2 more since the last report");
        assertThat(log.badAdvert(lan2, "192.0.2.2", 11 * S)).isNull();
    }
}
