package io.carpd.cli.lab;

import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtEvent;
import io.carpd.pfsync.conntrack.CtEventSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each bench flow appeared in the MASTER's and in the BACKUP's kernel, on one JVM clock: a
 * conntrack event listener in each firewall's namespace notes the NEW event of every flow of the
 * current step. On the MASTER that event is the first packet; on the BACKUP it is the sync daemon's
 * write into the kernel (carpd and conntrackd alike), so the difference is the sync lag. Destroy
 * events on the BACKUP tell when the flush between steps has reached it.
 */
final class FlowArrivals implements AutoCloseable {

    /** Listener buffer (the kernel doubles it): large enough that the bench never loses events itself. */
    private static final int BUFFER_BYTES = 32 << 20;

    /** Times and counts of one step; written by the two readers, read by the bench. */
    static final class Step {
        final BenchFlows flows;
        final AtomicLongArray master;
        final AtomicLongArray backup;
        final AtomicInteger seenMaster = new AtomicInteger();
        final AtomicInteger seenBackup = new AtomicInteger();
        final AtomicInteger destroyedBackup = new AtomicInteger();

        Step(BenchFlows flows) {
            this.flows = flows;
            this.master = new AtomicLongArray(flows.count());
            this.backup = new AtomicLongArray(flows.count());
        }
    }

    private final CtEventSource master;
    private final CtEventSource backup;
    private final Thread masterReader;
    private final Thread backupReader;
    private final AtomicLong masterOverruns = new AtomicLong();
    private final AtomicLong backupOverruns = new AtomicLong();
    private volatile Step step;
    private volatile boolean closed;

    private FlowArrivals(CtEventSource master, CtEventSource backup) {
        this.master = master;
        this.backup = backup;
        this.masterReader = Thread.ofPlatform().name("bench-events-master").daemon(true).start(() -> read(master, true));
        this.backupReader = Thread.ofPlatform().name("bench-events-backup").daemon(true).start(() -> read(backup, false));
    }

    static FlowArrivals open(String masterNs, String backupNs) {
        CtEventSource m = InNamespace.call(masterNs, () -> CtEventSource.open(BUFFER_BYTES));
        try {
            CtEventSource b = InNamespace.call(backupNs, () -> CtEventSource.open(BUFFER_BYTES));
            return new FlowArrivals(m, b);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Starts recording the flows of a new step; events of earlier steps are ignored from now on. */
    Step begin(BenchFlows flows) {
        Step s = new Step(flows);
        step = s;
        return s;
    }

    /** Events the bench's own listeners lost (ENOBUFS): a step with any is not measured fully. */
    long overruns() {
        return masterOverruns.get() + backupOverruns.get();
    }

    private void read(CtEventSource source, boolean isMaster) {
        while (!closed) {
            try {
                source.poll(200, ev -> record(ev, isMaster));
            } catch (RuntimeException e) {
                if (!closed) {
                    System.err.println("sync-bench: event reader failed: " + e);
                }
                return;
            }
        }
    }

    private void record(CtEvent ev, boolean isMaster) {
        long now = System.nanoTime();
        Step s = step;
        switch (ev) {
            case CtEvent.Overrun o -> (isMaster ? masterOverruns : backupOverruns).incrementAndGet();
            case CtEvent.New n -> arrived(s, n.state(), isMaster, now);
            // an entry the daemon wrote as an update of one it had already created counts when first seen
            case CtEvent.Update u -> arrived(s, u.state(), isMaster, now);
            case CtEvent.Destroy d -> {
                if (!isMaster && s != null && s.flows.indexOf(d.state().original()) >= 0) {
                    s.destroyedBackup.incrementAndGet();
                }
            }
        }
    }

    private static void arrived(Step s, ConnState state, boolean isMaster, long now) {
        if (s == null) {
            return;
        }
        int i = s.flows.indexOf(state.original());
        if (i < 0) {
            return;
        }
        AtomicLongArray times = isMaster ? s.master : s.backup;
        if (times.compareAndSet(i, 0, now)) {
            (isMaster ? s.seenMaster : s.seenBackup).incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        master.wakeUp();
        backup.wakeUp();
        try {
            masterReader.join(2000);
            backupReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        master.close();
        backup.close();
    }
}
