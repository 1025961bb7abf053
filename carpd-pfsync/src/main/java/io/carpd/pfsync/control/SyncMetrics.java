package io.carpd.pfsync.control;

import io.carpd.pfsync.engine.BulkInfo;
import io.carpd.pfsync.engine.PeerState;
import io.carpd.pfsync.link.SyncSnapshot;
import io.carpd.pfsync.wire.FrameDrop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.ToDoubleFunction;

/**
 * The {@code carpd_sync_*} meters. Every meter reads one snapshot that is taken at most once per
 * second, so a scrape costs one hop onto the sync loop, not one per meter. A snapshot that cannot
 * be taken (sync loop gone at shutdown) reads as NaN. Meters hold this object strongly (Micrometer
 * defaults to weak references, which would turn every meter into NaN after the next GC).
 */
public final class SyncMetrics {
    private static final Logger log = LoggerFactory.getLogger(SyncMetrics.class);
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final StateSyncControl control;
    private SyncSnapshot cached;
    private long cachedAt;

    private SyncMetrics(StateSyncControl control) {
        this.control = control;
    }

    /** Registers the sync meters of {@code control} on {@code registry}; keep the result referenced. */
    public static SyncMetrics bind(MeterRegistry registry, StateSyncControl control) {
        SyncMetrics m = new SyncMetrics(control);
        m.register(registry);
        return m;
    }

    private synchronized SyncSnapshot current() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt > MAX_AGE_NANOS) {
            try {
                cached = control.snapshot();
                cachedAt = now;
            } catch (RuntimeException e) {
                log.debug("sync metrics: no snapshot: {}", e.getMessage());
                return null;
            }
        }
        return cached;
    }

    private ToDoubleFunction<SyncMetrics> read(ToDoubleFunction<SyncSnapshot> f) {
        return m -> {
            SyncSnapshot s = m.current();
            return s == null ? Double.NaN : f.applyAsDouble(s);
        };
    }

    private void gauge(MeterRegistry r, String name, String unit, String help, Tags tags, ToDoubleFunction<SyncSnapshot> f) {
        Gauge.builder(name, this, read(f)).strongReference(true).baseUnit(unit).description(help).tags(tags).register(r);
    }

    private void counter(MeterRegistry r, String name, String help, Tags tags, ToDoubleFunction<SyncSnapshot> f) {
        FunctionCounter.builder(name, this, read(f)).description(help).tags(tags).register(r);
    }

    private void register(MeterRegistry r) {
        gauge(r, "carpd.sync.peer.up", null, "1 while the authenticated sync connection to the peer is up", Tags.empty(),
                s -> s.status().state() == PeerState.DISCONNECTED ? 0 : 1);
        gauge(r, "carpd.sync.in.sync", null, "1 once the peer's table arrived on the current connection", Tags.empty(),
                s -> s.status().state() == PeerState.IN_SYNC ? 1 : 0);
        gauge(r, "carpd.sync.complete", null, "1 once the start-up sync finished or timed out (start-up demotion gone)",
                Tags.empty(), s -> s.status().syncComplete() ? 1 : 0);
        gauge(r, "carpd.sync.protocol.version", null, "sync protocol version of the current connection (0 when down)",
                Tags.empty(), SyncSnapshot::protocolVersion);
        gauge(r, "carpd.sync.states", null, "connection states held, by side (local: ours, synced out; peer: learnt)",
                Tags.of("side", "local"), s -> s.status().localStates());
        gauge(r, "carpd.sync.states", null, "connection states held, by side (local: ours, synced out; peer: learnt)",
                Tags.of("side", "peer"), s -> s.status().peerStates());
        gauge(r, "carpd.sync.queued.changes", null, "local changes waiting to be sent", Tags.empty(),
                s -> s.status().queuedChanges());
        gauge(r, "carpd.sync.lag", "seconds", "age of the oldest frame the peer has not acknowledged", Tags.empty(),
                s -> s.status().lagNanos() / 1e9);
        gauge(r, "carpd.sync.rtt", "seconds", "round-trip time measured by the keepalive (NaN before the first)",
                Tags.empty(), s -> s.status().rttNanos() < 0 ? Double.NaN : s.status().rttNanos() / 1e9);
        gauge(r, "carpd.sync.bulk.duration", "seconds", "duration of the last complete bulk transfer, by direction",
                Tags.of("direction", "received"), s -> seconds(s.status().lastBulkReceived()));
        gauge(r, "carpd.sync.bulk.duration", "seconds", "duration of the last complete bulk transfer, by direction",
                Tags.of("direction", "sent"), s -> seconds(s.status().lastBulkSent()));
        counter(r, "carpd.sync.frames", "sync frames, by direction", Tags.of("direction", "sent"), SyncSnapshot::framesSent);
        counter(r, "carpd.sync.frames", "sync frames, by direction", Tags.of("direction", "received"), SyncSnapshot::framesReceived);
        counter(r, "carpd.sync.bytes", "sync bytes, by direction", Tags.of("direction", "sent"), SyncSnapshot::bytesSent);
        counter(r, "carpd.sync.bytes", "sync bytes, by direction", Tags.of("direction", "received"), SyncSnapshot::bytesReceived);
        for (FrameDrop d : FrameDrop.values()) {
            counter(r, "carpd.sync.frames.dropped", "inbound sync frames rejected, by reason", Tags.of("reason", d.label()),
                    s -> s.drops().get(d));
        }
        counter(r, "carpd.sync.auth.failures", "inbound sync frames whose MAC did not verify (wrong key or forgery)",
                Tags.empty(), StateSyncControl::authFailures);
        counter(r, "carpd.sync.resyncs", "full resyncs forced by the operator", Tags.empty(),
                s -> s.counters().get("resyncs"));
        counter(r, "carpd.sync.connections", "sync connections established", Tags.empty(),
                s -> s.counters().get("connections"));
        counter(r, "carpd.sync.kernel.writes", "peer states written into the kernel", Tags.empty(),
                s -> s.counters().get("kernel_writes"));
        counter(r, "carpd.sync.kernel.write.failures", "peer states the kernel refused", Tags.empty(),
                s -> s.counters().get("kernel_write_failures"));
        counter(r, "carpd.sync.conntrack.event.overruns", "times conntrack events were lost (socket buffer full); each is resynced by dump",
                Tags.empty(), s -> s.counters().get("event_overruns"));
    }

    private static double seconds(BulkInfo b) {
        return b == null ? Double.NaN : b.durationNanos() / 1e9;
    }
}
