package io.carpd.pfsync.link;

import io.carpd.pfsync.conntrack.CtEvent;
import io.carpd.pfsync.conntrack.CtEventSource;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.engine.PeerState;
import io.carpd.pfsync.engine.PeerStatus;
import io.carpd.pfsync.engine.SyncAction;
import io.carpd.pfsync.engine.SyncEngine;
import io.carpd.pfsync.engine.SyncEvent;
import io.carpd.pfsync.engine.SyncSettings;
import io.carpd.pfsync.wire.SyncRecord;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State sync for one node, running: the {@link SyncEngine} lives on the sync link's event loop;
 * a platform thread reads conntrack events and hands them over; {@link KernelWriters} own the
 * request sockets and perform kernel writes (peer states, write-through: they are in the kernel
 * before any takeover) and dumps (after an event overrun, and every {@code dumpInterval} so that
 * silently refreshed timeouts reach the peer). Blocking netlink work never runs on the loop.
 */
public final class StateSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateSync.class);
    private static final int EVENT_BUFFER_BYTES = 16 << 20;

    /** What the node around us must know. Called on the sync event loop. */
    public interface Listener {
        /** Set the "sync not complete" demotion (0 clears); e.g. NodeEvent.SetDemotion("carp", "pfsync", value). */
        void demotion(int value, String reason);

        void peerState(PeerState from, PeerState to, String reason);
    }

    private final SyncEngine engine;
    private final SyncLink link;
    private final EventLoop loop;
    private final Listener listener;
    private final Duration dumpInterval;
    private final java.util.Set<java.net.InetAddress> linkAddresses;
    private final AtomicLong kernelWrites = new AtomicLong();
    private final AtomicLong kernelWriteFailures = new AtomicLong();
    private KernelWriters kernel;
    private CtEventSource events;
    private Thread reader;
    private ScheduledFuture<?> timer;
    private volatile boolean closing;
    private final int eventBufferBytes;
    // Loop-confined: re-entrancy guard of handle().
    private boolean handling;
    // Loop-confined: MASTER of some VHID (from the CARP side); local events paused for a bulk.
    private boolean masterHere;
    private boolean eventsPaused;
    private final java.util.ArrayDeque<SyncEvent> deferred = new java.util.ArrayDeque<>();

    public StateSync(LinkSettings linkSettings, SyncSettings syncSettings, Duration dumpInterval, Listener listener) {
        this(linkSettings, syncSettings, dumpInterval, listener, EVENT_BUFFER_BYTES);
    }

    /** With an event receive buffer of {@code eventBufferBytes} (tests provoke overruns with a small one). */
    StateSync(LinkSettings linkSettings, SyncSettings syncSettings, Duration dumpInterval, Listener listener, int eventBufferBytes) {
        this.eventBufferBytes = eventBufferBytes;
        this.engine = new SyncEngine(syncSettings);
        this.listener = listener;
        this.dumpInterval = dumpInterval;
        this.linkAddresses = java.util.Set.of(linkSettings.local(), linkSettings.peer());
        this.link = new SyncLink(linkSettings, new SyncLink.Listener() {
            @Override
            public void established(int peerNodeId, int version) {
                handle(new SyncEvent.Connected(peerNodeId));
            }

            @Override
            public void frame(long seq, List<SyncRecord> records) {
                handle(new SyncEvent.FrameReceived(seq, records));
            }

            @Override
            public void lost(String reason) {
                handle(new SyncEvent.Disconnected(reason));
            }

            @Override
            public void writable() {
                handle(new SyncEvent.Tick());
            }
        });
        this.loop = link.eventLoop();
    }

    /**
     * Opens the kernel sockets and the link, takes the first dump and starts the engine. Call from
     * a thread in the network namespace of the firewall: every socket is created here.
     */
    public void start() throws Exception {
        warnAboutEventSysctl();
        kernel = KernelWriters.open(KernelWriters.defaultShards());
        events = CtEventSource.open(eventBufferBytes);
        events.ignoreOrigins(kernel.portIds());
        reader = Thread.ofPlatform().name("sync-conntrack-events").daemon(true).start(this::readEvents);
        loop.submit(() -> handle(new SyncEvent.Start())).sync();
        // The first dump is in the table before the link starts: a bulk requested by a peer that
        // connects at once must carry it, or the peer would purge its copies of our states at the
        // end of an empty bulk and get them back only as the dump is streamed.
        long started = System.nanoTime();
        var first = kernel.dump(this::synced).get();
        loop.submit(() -> handle(new SyncEvent.LocalDump(first, started))).sync();
        link.start();
        if (!dumpInterval.isZero()) {
            loop.scheduleAtFixedRate(this::dump, dumpInterval.toNanos(), dumpInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * With the kernel's default "events when someone listens" (2), connections that began before
     * carpd subscribed never report their end, so their copies linger on the peer until they time
     * out there. A firewall running carpd should set 1; we say so rather than change it.
     */
    private static void warnAboutEventSysctl() {
        java.nio.file.Path p = java.nio.file.Path.of("/proc/sys/net/netfilter/nf_conntrack_events");
        try {
            String v = java.nio.file.Files.readString(p).trim();
            if (!v.equals("1")) {
                log.warn("sync: net.netfilter.nf_conntrack_events is {}; set it to 1 so that connections opened "
                        + "before carpd started also report their end", v);
            }
        } catch (java.io.IOException e) {
            log.warn("sync: cannot read {}: {}", p, e.getMessage());
        }
    }

    /**
     * Hands the events of each datagram to the loop as one task. After an overrun the dump waits
     * until the socket has been read empty: the kernel reports ENOBUFS once per congestion, and
     * keeps dropping silently until the queue drains, so only a dump begun after that covers every
     * lost event (a later loss is a new congestion, reported again).
     */
    private void readEvents() {
        boolean[] overrun = {false};
        List<SyncEvent> batch = new ArrayList<>();
        while (!closing) {
            try {
                boolean read = events.poll(overrun[0] ? 0 : -1, ev -> {
                    switch (ev) {
                        case CtEvent.New n when synced(n.state()) -> batch.add(new SyncEvent.LocalUpsert(n.state()));
                        case CtEvent.Update u when synced(u.state()) -> batch.add(new SyncEvent.LocalUpsert(u.state()));
                        case CtEvent.Destroy d when synced(d.state()) -> batch.add(new SyncEvent.LocalDestroy(d.state().key()));
                        case CtEvent.New n -> { }
                        case CtEvent.Update u -> { }
                        case CtEvent.Destroy d -> { }
                        case CtEvent.Overrun o -> {
                            if (!overrun[0]) {
                                log.warn("sync: conntrack events were lost; receive buffer now {} bytes; resyncing by dump "
                                        + "once the backlog is read", events.receiveBuffer());
                            }
                            overrun[0] = true;
                        }
                    }
                });
                if (!batch.isEmpty()) {
                    List<SyncEvent> handOver = List.copyOf(batch);
                    batch.clear();
                    loop.execute(() -> handleAll(handOver));
                }
                if (!read && overrun[0] && !closing) {
                    overrun[0] = false;
                    dump();
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop is gone (shut down, or killed by an Error): nothing can handle events any more.
                if (!closing) {
                    log.error("sync: the sync event loop has stopped; conntrack events are no longer read", e);
                }
                return;
            } catch (RuntimeException e) {
                batch.clear();
                if (!closing) {
                    log.error("sync: conntrack event reader failed; resyncing by dump", e);
                    dump();
                }
            }
        }
    }

    private void handleAll(List<SyncEvent> events) {
        for (SyncEvent e : events) {
            handle(e);
        }
    }

    /**
     * The sync link's own connection exists on both nodes with its own live state; syncing it
     * would make the two copies overwrite each other, so connections of the link's addresses stay
     * local (pfsync likewise never syncs its own traffic). The same holds for link-local multicast.
     */
    private boolean synced(io.carpd.pfsync.conntrack.ConnState s) {
        // Link-local multicast (224.0.0.0/24, ff02::/16: CARP adverts, IGMP, MLD) is never routed:
        // each node has its own such entries, and syncing them only adds noise to the peer's table.
        return !s.original().dst().isMCLinkLocal() && !linkAddresses.contains(s.original().src()) && !linkAddresses.contains(s.original().dst())
                && !linkAddresses.contains(s.reply().src()) && !linkAddresses.contains(s.reply().dst());
    }

    private void dump() {
        long started = System.nanoTime();
        kernel.dump(this::synced).whenComplete((states, e) -> {
            if (e != null) {
                log.error("sync: conntrack dump failed", e);
            } else {
                loop.execute(() -> handle(new SyncEvent.LocalDump(states, started)));
            }
        });
    }

    /**
     * Feeds one event and performs the actions. Performing them can call back into us on the same
     * thread (a flush makes the channel writable again, a failed write closes it); such events wait
     * until the current actions are done, or frames would be encoded out of sequence.
     */
    private void handle(SyncEvent event) {
        if (closing) {
            return;
        }
        if (handling) {
            deferred.add(event);
            return;
        }
        handling = true;
        try {
            for (SyncEvent e = event; e != null && !closing; e = deferred.poll()) {
                perform(engine.handle(e, System.nanoTime()));
            }
        } finally {
            handling = false;
            deferred.clear();
        }
    }

    private void perform(List<SyncAction> actions) {
        for (SyncAction a : actions) {
            switch (a) {
                case SyncAction.SendFrame f -> link.send(f.seq(), f.records());
                case SyncAction.WriteKernel w -> writeKernel(w.writes());
                case SyncAction.SetDemotion d -> listener.demotion(d.value(), d.reason());
                case SyncAction.PeerStateChanged p -> {
                    log.info("sync: peer {} -> {} ({})", p.from(), p.to(), p.reason());
                    pauseEventsDuringBulk(p);
                    listener.peerState(p.from(), p.to(), p.reason());
                }
                case SyncAction.CloseLink c -> link.disconnect(c.reason());
                case SyncAction.ArmTimer t -> arm(t.atNanos());
            }
        }
    }

    /**
     * While this node, MASTER of nothing, writes the peer's bulk into its kernel, it leaves the
     * event groups: with nobody listening the kernel skips building an event per insertion, which
     * is most of an insertion's cost (three times the rate here). Local changes of that window are
     * picked up by the dump after rejoining. A node that is MASTER anywhere keeps listening: its
     * own connections are the ones the peer needs without delay.
     */
    private void pauseEventsDuringBulk(SyncAction.PeerStateChanged p) {
        if (p.to() == PeerState.BULK_RECEIVING && !masterHere && !eventsPaused) {
            try {
                events.listening(false);
                eventsPaused = true;
            } catch (RuntimeException e) {
                log.warn("sync: cannot pause conntrack events during the bulk: {}", e.getMessage());
            }
        } else if (p.from() == PeerState.BULK_RECEIVING && eventsPaused) {
            kernel.drained().thenRun(() -> loop.execute(this::resumeEvents));
        }
    }

    private void resumeEvents() {
        if (!eventsPaused || closing) {
            return;
        }
        try {
            events.listening(true);
        } catch (RuntimeException e) {
            log.error("sync: cannot rejoin the conntrack event groups; local changes are now seen only by dumps", e);
        }
        eventsPaused = false;
        dump();
    }

    private void arm(long atNanos) {
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(0, atNanos - System.nanoTime());
        timer = loop.schedule(() -> {
            // A full outbound buffer holds back bulk steps; liveness still ticks every 10 ms.
            if (!link.writable() && engine.status().state() != PeerState.DISCONNECTED) {
                timer = loop.schedule(() -> handle(new SyncEvent.Tick()), 10, TimeUnit.MILLISECONDS);
                return;
            }
            handle(new SyncEvent.Tick());
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void writeKernel(List<CtWrite> writes) {
        kernel.write(writes, r -> {
            kernelWrites.addAndGet(r.applied());
            if (!r.failures().isEmpty()) {
                kernelWriteFailures.addAndGet(r.failures().size());
                log.warn("sync: kernel refused {} of {} peer states, first: {}", r.failures().size(), r.applied() + r.failures().size(),
                        r.failures().getFirst());
            }
        }, (failed, e) -> {
            kernelWriteFailures.addAndGet(failed);
            log.error("sync: writing {} peer states into the kernel failed", failed, e);
        });
    }

    /**
     * Completes once every kernel write handed out before this call is done. The takeover path
     * waits on it before adding VIPs, so the peer's states are in the kernel when traffic arrives.
     */
    public CompletableFuture<Void> kernelWritesDone() {
        return kernel.drained();
    }

    /**
     * Forces a full resync both ways (see {@link SyncEvent.Resync}). Completes with false when the
     * link is down, so there is nobody to resync with.
     */
    public CompletableFuture<Boolean> resync() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (engine.status().state() == PeerState.DISCONNECTED) {
                f.complete(false);
                return;
            }
            handle(new SyncEvent.Resync());
            f.complete(true);
        });
        return f;
    }

    /** Engine, link and kernel-writer figures taken together on the loop. */
    public CompletableFuture<SyncSnapshot> snapshot() {
        CompletableFuture<SyncSnapshot> f = new CompletableFuture<>();
        loop.execute(() -> {
            var c = engine.counters();
            var counters = new java.util.LinkedHashMap<String, Long>();
            counters.put("connections", link.connections());
            counters.put("foreign_connections_refused", link.foreignConnectionsRefused());
            counters.put("resyncs", c.resyncs());
            counters.put("bulks_sent", c.bulksSent());
            counters.put("bulks_received", c.bulksReceived());
            counters.put("bulk_stale_purged", c.bulkStalePurged());
            counters.put("records_sent", c.recordsSent());
            counters.put("coalesced", c.coalesced());
            counters.put("peer_upserts", c.peerUpserts());
            counters.put("peer_deletes", c.peerDeletes());
            counters.put("peer_deletes_ignored", c.peerDeletesIgnored());
            counters.put("taken_over", c.takenOver());
            counters.put("refreshes", c.refreshes());
            counters.put("unexpected_records", c.unexpectedRecords());
            counters.put("event_overruns", events == null ? 0 : events.overruns());
            counters.put("events_paused", eventsPaused ? 1L : 0L);
            counters.put("kernel_writes", kernelWrites.get());
            counters.put("kernel_write_failures", kernelWriteFailures.get());
            var drops = new java.util.EnumMap<io.carpd.pfsync.wire.FrameDrop, Long>(io.carpd.pfsync.wire.FrameDrop.class);
            for (var d : io.carpd.pfsync.wire.FrameDrop.values()) {
                drops.put(d, link.dropped(d));
            }
            f.complete(new SyncSnapshot(engine.status(System.nanoTime()), link.version(), link.framesSent(), link.bytesSent(),
                    link.framesReceived(), link.bytesReceived(), drops, counters));
        });
        return f;
    }

    /** Our complete CARP view changed (or is repeated): the engine sends it to the peer if it differs. */
    public void localVhidStates(List<io.carpd.pfsync.wire.VhidState> states) {
        loop.execute(() -> {
            masterHere = states.stream().anyMatch(v -> v.state() == io.carpd.core.election.CarpState.MASTER);
            if (masterHere) {
                resumeEvents();
            }
            handle(new SyncEvent.LocalVhidStates(states));
        });
    }

    /** The peer's latest CARP view (empty while the link is down), fetched on the loop. */
    public CompletableFuture<List<io.carpd.pfsync.wire.VhidState>> peerVhidStates() {
        CompletableFuture<List<io.carpd.pfsync.wire.VhidState>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(engine.peerVhidStates()));
        return f;
    }

    /** The engine's view, fetched on its loop. */
    public CompletableFuture<PeerStatus> status() {
        CompletableFuture<PeerStatus> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(engine.status()));
        return f;
    }

    public long kernelWrites() {
        return kernelWrites.get();
    }

    public long kernelWriteFailures() {
        return kernelWriteFailures.get();
    }

    public SyncLink link() {
        return link;
    }

    /** Stops everything; idempotent. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (events != null) {
            events.wakeUp();
        }
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        link.close();
        if (events != null) {
            events.close();
        }
        if (kernel != null) {
            kernel.close();
        }
    }
}
