package io.carpd.core.runtime;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventHistoryTest {

    private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    @Test
    void keepsOnlyTheNewestEventsUpToCapacityWithIncreasingSequenceNumbers() {
        EventHistory history = new EventHistory(3, clock);
        for (int i = 1; i <= 5; i++) history.record("demotion", null, 0, "event " + i);

        assertThat(history.latest(10)).extracting(HistoryEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(history.latest(2)).extracting(HistoryEvent::message).containsExactly("event 4", "event 5");
        assertThat(history.latest(0)).isEmpty();
    }

    @Test
    void listenersSeeNewEventsUntilRemoved() {
        EventHistory history = new EventHistory(3, clock);
        List<String> seen = new ArrayList<>();
        Runnable remove = history.listen(e -> seen.add(e.message()));
        history.record("start", null, 0, "one");
        remove.run();
        remove.run();
        history.record("stop", null, 0, "two");

        assertThat(seen).containsExactly("one");
    }
}
