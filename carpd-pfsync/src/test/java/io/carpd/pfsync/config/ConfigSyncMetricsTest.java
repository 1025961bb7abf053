package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.pfsync.config.ConfigSyncStats.Received;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exposition of {@link ConfigSyncMetrics}: names, labels, 0 before the first push, Unix seconds after. */
class ConfigSyncMetricsTest {
    private static final String SENT = "carpd_config_sync_last_success_timestamp_seconds{direction=\"sent\"} ";
    private static final String RECEIVED = "carpd_config_sync_last_success_timestamp_seconds{direction=\"received\"} ";

    private final ConfigSyncStats stats = new ConfigSyncStats();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void timestampsReadZeroUntilAPushIsAppliedThenItsUnixSeconds() {
        ConfigSyncMetrics.bind(registry, stats);
        assertThat(registry.scrape()).contains(SENT + "0.0", RECEIVED + "0.0",
                "carpd_config_sync_last_attempt_timestamp_seconds{direction=\"sent\"} 0.0");

        Instant ok = Instant.ofEpochSecond(1_800_000_000L, 250_000_000);
        stats.sent(false, true, ok);
        stats.received(false, Received.FAILED, Instant.ofEpochSecond(1_800_000_100L));

        assertThat(registry.scrape())
                .contains(SENT + "1.80000000025E9")
                .contains(RECEIVED + "0.0")
                .contains("carpd_config_sync_last_attempt_timestamp_seconds{direction=\"received\"} 1.8000001E9");

        stats.sent(false, false, Instant.ofEpochSecond(1_800_000_200L));
        assertThat(registry.scrape()).as("a failed push leaves the success time")
                .contains(SENT + "1.80000000025E9")
                .contains("carpd_config_sync_last_attempt_timestamp_seconds{direction=\"sent\"} 1.8000002E9");
    }

    @Test
    void transfersAreCountedByDirectionAndResult() {
        ConfigSyncMetrics.bind(registry, stats);
        stats.sent(false, true, Instant.EPOCH);
        stats.received(false, Received.ABANDONED, Instant.EPOCH);
        stats.received(true, Received.ABANDONED, Instant.EPOCH);
        stats.malformed();

        assertThat(registry.scrape())
                .contains("carpd_config_sync_total{direction=\"sent\",result=\"ok\"} 1.0")
                .contains("carpd_config_sync_total{direction=\"sent\",result=\"failed\"} 0.0")
                .contains("carpd_config_sync_total{direction=\"received\",result=\"abandoned\"} 2.0")
                .contains("carpd_config_sync_total{direction=\"received\",result=\"refused\"} 0.0")
                .contains("carpd_config_sync_malformed_messages_total 1.0");
    }
}
