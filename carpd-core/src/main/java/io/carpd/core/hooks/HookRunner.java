package io.carpd.core.hooks;

import io.carpd.core.config.HooksConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hooks of each submitted event, event after event and hook after hook, on one dedicated
 * platform thread. {@link #submit} only enqueues, so the event loop never waits for a script; when
 * the bounded queue is full the oldest pending event is dropped (counted and logged), because the
 * latest events describe the state the node is actually in. A hook still running at the timeout is
 * killed together with its descendants and the next hook starts.
 *
 * <p>Hooks get {@code /dev/null} as stdin, {@code /} as working directory, the daemon's environment
 * plus the {@code CARPD_*} variables, and their stdout and stderr merged
 * into one pipe of which the first {@value #OUTPUT_LIMIT} bytes are logged.
 */
public final class HookRunner implements AutoCloseable {
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    public static final int OUTPUT_LIMIT = 4096;

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final File ROOT = new File("/");
    /** How long to wait for a killed hook to be reaped, and for its output pipe to close after it exited. */
    private static final Duration REAP_GRACE = Duration.ofSeconds(1);

    private final HookFinder finder;
    private final Duration timeout;
    private final String node;
    private final int capacity;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<HookEvent> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;

    private final AtomicLong run = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public HookRunner(HooksConfig config, String node) {
        this(new HookFinder(config.dir(), config.commands()), config.timeout(), node, DEFAULT_QUEUE_CAPACITY);
    }

    /** @param queueCapacity events that may wait while a hook runs (at least 1) */
    HookRunner(HookFinder finder, Duration timeout, String node, int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("hook queue capacity must be at least 1, got " + queueCapacity);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("hook timeout must be positive, got " + timeout);
        }
        this.finder = finder;
        this.timeout = timeout;
        this.node = node;
        this.capacity = queueCapacity;
        this.worker = Thread.ofPlatform().name("carpd-hooks").daemon(true).unstarted(this::work);
    }

    /** Starts the worker thread; events submitted before wait in the queue. */
    public void start() {
        worker.start();
    }

    /** Queues the event's hooks and returns at once; never blocks on a running hook. Ignored after {@link #close}. */
    public void submit(HookEvent event) {
        HookEvent lost = null;
        lock.lock();
        try {
            if (closed) {
                log.debug("hook runner closed; not running hooks for {}", HookInvocation.describe(event));
                return;
            }
            if (pending.size() >= capacity) {
                lost = pending.pollFirst();
            }
            pending.addLast(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (lost != null) {
            long n = dropped.incrementAndGet();
            log.warn("hook queue full ({} pending): dropped the oldest, {} ({} dropped so far)",
                    capacity, HookInvocation.describe(lost), n);
        }
    }

    public HookCounters counters() {
        return new HookCounters(run.get(), failed.get(), timedOut.get(), dropped.get());
    }

    /** Waits until no event is pending or running; false if that did not happen within {@code max}. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lock();
        try {
            while (busy || !pending.isEmpty()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the worker: pending events are discarded (logged) and a running hook is killed with its
     * descendants. Call {@link #awaitIdle} first to let queued hooks finish.
     */
    @Override
    public void close() {
        int discarded;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            discarded = pending.size();
            pending.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (discarded > 0) {
            log.warn("hook runner closing: {} pending event(s) not run", discarded);
        }
        worker.interrupt();
        try {
            worker.join(REAP_GRACE.multipliedBy(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            HookEvent event;
            while ((event = next()) != null) {
                try {
                    runAll(event);
                } catch (RuntimeException e) {
                    log.error("hooks for {} aborted by an unexpected error", HookInvocation.describe(event), e);
                } finally {
                    lock.lock();
                    try {
                        busy = false;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close(): the running hook was killed in run(), nothing else to clean up.
        }
    }

    /** The next event, marking the runner busy; null once closed. */
    private HookEvent next() throws InterruptedException {
        lock.lock();
        try {
            while (pending.isEmpty() && !closed) {
                changed.await();
            }
            if (closed) {
                return null;
            }
            busy = true;
            return pending.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void runAll(HookEvent event) throws InterruptedException {
        List<Path> hooks = finder.find();
        if (hooks.isEmpty()) {
            log.debug("no hooks to run for {}", HookInvocation.describe(event));
        }
        for (Path hook : hooks) {
            run(hook, event);
        }
    }

    private void run(Path hook, HookEvent event) throws InterruptedException {
        String what = HookInvocation.describe(event);
        ProcessBuilder pb = new ProcessBuilder(HookInvocation.command(hook, event))
                .directory(ROOT)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectErrorStream(true);
        pb.environment().putAll(HookInvocation.environment(event, node));
        run.incrementAndGet();
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            failed.incrementAndGet();
            log.warn("hook {} ({}) could not be started: {}", hook, what, e.getMessage());
            return;
        }
        OutputCapture output = OutputCapture.start(p.getInputStream(), OUTPUT_LIMIT);
        boolean exited;
        try {
            exited = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            int killed = killTree(p.toHandle());
            log.warn("hook {} ({}) killed with {} descendant(s): carpd is shutting down", hook, what, killed);
            throw e;
        }
        if (!exited) {
            int killed = killTree(p.toHandle());
            timedOut.incrementAndGet();
            p.waitFor(REAP_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            log.warn("hook {} ({}) timed out after {} ms; killed it and {} descendant(s){}", hook, what,
                    timeout.toMillis(), killed, outputSuffix(output.await(REAP_GRACE)));
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int code = p.exitValue();
        String out = outputSuffix(output.await(REAP_GRACE));
        if (code == 0) {
            log.info("hook {} ({}): exit 0 in {} ms{}", hook, what, ms, out);
        } else {
            failed.incrementAndGet();
            // A shell-style 128+N exit code is how Java reports death by signal N.
            log.warn("hook {} ({}) failed: exit {} in {} ms{}", hook, what, code, ms, out);
        }
    }

    /**
     * Kills a process and everything below it, top-down. A process's children are listed while it
     * is alive, because once orphaned the kernel reparents them out of reach; a child forked in the
     * instant between that listing and the kill escapes, as does a hook that detached with setsid.
     *
     * @return how many descendants were killed
     */
    private static int killTree(ProcessHandle root) {
        List<ProcessHandle> children = root.children().toList();
        root.destroyForcibly();
        int killed = 0;
        for (ProcessHandle child : children) {
            killed += 1 + killTree(child);
        }
        return killed;
    }

    private static String outputSuffix(String output) {
        if (output.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("; output: ");
        output.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c);
            }
        });
        return b.toString();
    }
}
