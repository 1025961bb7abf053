package io.carpd.core.runtime;

/**
 * The event loop's clock and timers as the action executor needs them. Every task runs on the
 * loop thread, so the executor's state needs no locks; tests substitute a manual clock.
 */
interface LoopScheduler {

    /** Monotonic now in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} once at monotonic time {@code atNanos} (at once if that has passed). */
    Cancellable at(long atNanos, Runnable task);

    /** Runs {@code task} every {@code periodNanos}, first after one period. */
    Cancellable every(long periodNanos, Runnable task);
}
