package io.carpd.pfsync.config;

import io.carpd.core.api.ConfigSyncControl.Counters;
import io.carpd.pfsync.config.ConfigSyncStats.Direction;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The {@code carpd_config_sync_*} meters, read from {@link ConfigSyncStats} (never from
 * {@link ConfigSync#status()}, which asks the peer and may block a scrape for seconds).
 *
 * <p>The timestamps read 0 until the first push in their direction rather than being absent:
 * the series exist from start (Prometheus' "avoid missing metrics"), {@code time() - x} of a pair
 * that never synced is huge instead of empty, and "last attempt newer than last success" is a
 * plain comparison of two series that also holds when no push ever succeeded.
 */
public final class ConfigSyncMetrics {

    private ConfigSyncMetrics() {
    }

    /**
     * Registers the meters of {@code stats} on {@code registry}. Counters hold {@code stats}
     * weakly (Micrometer's default): keep it referenced, as {@link ConfigSync} does.
     */
    public static void bind(MeterRegistry registry, ConfigSyncStats stats) {
        for (Direction d : Direction.values()) {
            Tags tags = Tags.of("direction", d.label());
            timestamp(registry, "carpd.config.sync.last.success.timestamp",
                    "time the last config push in this direction was applied (dry runs not counted; 0 before the first)",
                    tags, stats, s -> s.times(d).lastSuccess());
            timestamp(registry, "carpd.config.sync.last.attempt.timestamp",
                    "time the last config push in this direction ended, applied or not (dry runs not counted; 0 before the first)",
                    tags, stats, s -> s.times(d).lastAttempt());
        }
        String help = "config transfers (pushes and dry runs) by direction and result";
        counter(registry, help, "sent", "ok", stats, Counters::pushesOk);
        counter(registry, help, "sent", "failed", stats, Counters::pushesFailed);
        counter(registry, help, "received", "ok", stats, Counters::receivedOk);
        counter(registry, help, "received", "refused", stats, Counters::receivedRefused);
        counter(registry, help, "received", "failed", stats, Counters::receivedFailed);
        counter(registry, help, "received", "abandoned", stats, Counters::abandoned);
        FunctionCounter.builder("carpd.config.sync.malformed.messages", stats, s -> s.counters().malformedMessages())
                .description("config-sync messages that did not decode (each closes the connection)")
                .register(registry);
    }

    private static void timestamp(MeterRegistry r, String name, String help, Tags tags, ConfigSyncStats stats,
                                  Function<ConfigSyncStats, Instant> at) {
        Gauge.builder(name, stats, s -> {
                    Instant i = at.apply(s);
                    return i == null ? 0 : i.toEpochMilli() / 1000.0;
                }).strongReference(true).baseUnit("seconds").description(help).tags(tags).register(r);
    }

    private static void counter(MeterRegistry r, String help, String direction, String result, ConfigSyncStats stats,
                                ToLongFunction<Counters> count) {
        FunctionCounter.builder("carpd.config.sync", stats, s -> count.applyAsLong(s.counters()))
                .description(help).tags("direction", direction, "result", result).register(r);
    }
}
