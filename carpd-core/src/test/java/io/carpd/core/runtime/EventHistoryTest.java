package io.carpd.core.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventHistoryTest {

    private static HistoryEvent demotion(int total) {
        return new HistoryEvent.Demotion(Instant.EPOCH, "carp", total, "");
    }

    @Test
    void keepsOnlyTheNewestEventsUpToCapacity() {
        EventHistory history = new EventHistory(3);
        for (int i = 1; i <= 5; i++) history.record(demotion(i));

        assertThat(history.latest(10)).containsExactly(demotion(3), demotion(4), demotion(5));
        assertThat(history.latest(2)).containsExactly(demotion(4), demotion(5));
        assertThat(history.latest(0)).isEmpty();
    }

    @Test
    void listenersSeeNewEventsUntilClosed() throws Exception {
        EventHistory history = new EventHistory(3);
        List<HistoryEvent> seen = new ArrayList<>();
        AutoCloseable handle = history.listen(seen::add);
        history.record(demotion(1));
        handle.close();
        history.record(demotion(2));

        assertThat(seen).containsExactly(demotion(1));
    }
}
