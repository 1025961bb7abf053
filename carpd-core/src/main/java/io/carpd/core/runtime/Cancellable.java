package io.carpd.core.runtime;

/** A scheduled task that can be withdrawn; cancelling one that already ran is harmless. */
@FunctionalInterface
interface Cancellable {
    void cancel();
}
