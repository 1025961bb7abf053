package io.carpd.core.runtime;

import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/** {@link LoopScheduler} on a Netty event loop, with {@link System#nanoTime()} as the clock. */
final class EventLoopScheduler implements LoopScheduler {

    private final EventLoop loop;

    EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable at(long atNanos, Runnable task) {
        long delay = Math.max(0, atNanos - System.nanoTime());
        var future = loop.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Cancellable every(long periodNanos, Runnable task) {
        var future = loop.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
