package io.carpd.core.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link LoopScheduler} whose clock only moves when the test says so. */
final class ManualScheduler implements LoopScheduler {

    private final class Task implements Cancellable {
        long due;
        final long period;
        final Runnable body;
        final long order;
        boolean cancelled;

        Task(long due, long period, Runnable body) {
            this.due = due;
            this.period = period;
            this.body = body;
            this.order = sequence++;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now = 1_000_000_000L;
    private long sequence;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable at(long atNanos, Runnable task) {
        Task t = new Task(atNanos, 0, task);
        tasks.add(t);
        return t;
    }

    @Override
    public Cancellable every(long periodNanos, Runnable task) {
        Task t = new Task(now + periodNanos, periodNanos, task);
        tasks.add(t);
        return t;
    }

    /** Moves the clock forward, running every due task in deadline order. */
    void advance(long nanos) {
        long target = now + nanos;
        while (true) {
            Task next = tasks.stream().filter(t -> !t.cancelled && t.due <= target)
                    .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) break;
            now = Math.max(now, next.due);
            if (next.period > 0) next.due += next.period;
            else tasks.remove(next);
            next.body.run();
        }
        now = target;
    }

    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
