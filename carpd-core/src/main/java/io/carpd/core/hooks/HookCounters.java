package io.carpd.core.hooks;

/**
 * Totals since the runner started, for metrics.
 *
 * @param run      hook processes started (or attempted to start)
 * @param failed   hooks that exited non-zero, died from a signal, or could not be started
 * @param timedOut hooks killed at the timeout (not counted in {@code failed})
 * @param dropped  events discarded unrun because the queue was full (the oldest pending one goes)
 */
public record HookCounters(long run, long failed, long timedOut, long dropped) {
}
