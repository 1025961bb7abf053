package io.carpd.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last {@code capacity} journal entries, newest last, plus live listeners (for
 * {@code carpd events --follow}). Recording and reading happen on the event loop; listeners may be
 * added or removed from any thread and are called on the loop, so they must not block.
 */
public final class EventHistory {

    private static final Logger log = LoggerFactory.getLogger(EventHistory.class);

    private final int capacity;
    private final Clock wallClock;
    private final ArrayDeque<HistoryEvent> events;
    private final List<Consumer<HistoryEvent>> listeners = new CopyOnWriteArrayList<>();
    private long nextSeq = 1;

    public EventHistory(int capacity, Clock wallClock) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.wallClock = wallClock;
        this.events = new ArrayDeque<>(capacity);
    }

    /** Journals one event, stamped with the next sequence number and the wall clock. */
    HistoryEvent record(String kind, String iface, int vhid, String message) {
        HistoryEvent event = new HistoryEvent(nextSeq++, wallClock.instant(), kind, iface, vhid, message);
        if (events.size() == capacity) events.removeFirst();
        events.addLast(event);
        for (Consumer<HistoryEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("event listener failed: {}", e.toString());
            }
        }
        return event;
    }

    /** The newest {@code n} events, oldest first. */
    List<HistoryEvent> latest(int n) {
        int skip = Math.max(0, events.size() - Math.max(0, n));
        List<HistoryEvent> out = new ArrayList<>(events.size() - skip);
        int i = 0;
        for (HistoryEvent e : events) {
            if (i++ >= skip) out.add(e);
        }
        return out;
    }

    /** Registers a listener; the returned handle removes it (closing twice is harmless). */
    public Runnable listen(Consumer<HistoryEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
