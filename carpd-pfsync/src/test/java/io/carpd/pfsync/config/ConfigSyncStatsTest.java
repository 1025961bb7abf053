package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.api.ConfigSyncControl.Counters;
import io.carpd.pfsync.config.ConfigSyncStats.Direction;
import io.carpd.pfsync.config.ConfigSyncStats.Received;
import io.carpd.pfsync.config.ConfigSyncStats.Times;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Last-success times move only on applied pushes; every ending is counted. */
class ConfigSyncStatsTest {
    private static final Instant T1 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-25T10:05:00Z");
    private static final Instant T3 = Instant.parse("2026-11-25T10:09:00Z");

    private final ConfigSyncStats stats = new ConfigSyncStats();

    @Test
    void nothingIsKnownBeforeTheFirstPush() {
        for (Direction d : Direction.values()) {
            assertThat(stats.times(d)).isEqualTo(new Times(null, null));
        }
        assertThat(stats.counters()).isEqualTo(new Counters(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void anAppliedPushSetsTheSuccessTimeAndAFailedOneMovesOnlyTheAttemptTime() {
        stats.sent(false, true, T1);
        assertThat(stats.times(Direction.SENT)).isEqualTo(new Times(T1, T1));

        stats.sent(false, false, T2);
        assertThat(stats.times(Direction.SENT)).isEqualTo(new Times(T2, T1));

        stats.sent(false, true, T3);
        assertThat(stats.times(Direction.SENT)).isEqualTo(new Times(T3, T3));
        assertThat(stats.times(Direction.RECEIVED)).as("the other direction").isEqualTo(new Times(null, null));
    }

    @Test
    void receivedFailuresOfEveryKindLeaveTheSuccessTime() {
        stats.received(false, Received.OK, T1);
        for (Received how : new Received[] {Received.REFUSED, Received.FAILED, Received.ABANDONED}) {
            stats.received(false, how, T2);
            assertThat(stats.times(Direction.RECEIVED)).as(how.name()).isEqualTo(new Times(T2, T1));
        }
        assertThat(stats.times(Direction.SENT)).as("the other direction").isEqualTo(new Times(null, null));
    }

    @Test
    void dryRunsAreCountedButDoNotMoveTheTimes() {
        stats.sent(false, true, T1);
        stats.received(false, Received.OK, T1);

        stats.sent(true, true, T2);
        stats.sent(true, false, T2);
        stats.received(true, Received.OK, T2);
        stats.received(true, Received.REFUSED, T2);

        assertThat(stats.times(Direction.SENT)).isEqualTo(new Times(T1, T1));
        assertThat(stats.times(Direction.RECEIVED)).isEqualTo(new Times(T1, T1));
        assertThat(stats.counters()).isEqualTo(new Counters(2, 1, 2, 1, 0, 0, 0));
    }

    @Test
    void eachEndingHasItsOwnCounter() {
        stats.sent(false, true, T1);
        stats.sent(false, false, T1);
        stats.sent(false, false, T1);
        stats.received(false, Received.OK, T1);
        stats.received(false, Received.REFUSED, T1);
        stats.received(false, Received.REFUSED, T1);
        stats.received(false, Received.FAILED, T1);
        stats.received(false, Received.ABANDONED, T1);
        stats.received(false, Received.ABANDONED, T1);
        stats.received(false, Received.ABANDONED, T1);
        stats.malformed();

        assertThat(stats.counters()).isEqualTo(new Counters(1, 2, 1, 2, 1, 3, 1));
    }
}
