package io.carpd.pfsync.engine;

import io.carpd.pfsync.wire.FrameCodec;
import io.carpd.pfsync.wire.ProtocolVersions;
import io.carpd.pfsync.wire.SessionNonce;
import io.carpd.pfsync.wire.SyncSession;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engines joined through real {@link SyncSession}s by an in-order link with a fixed one-way
 * delay, under simulated time. Every frame is encoded, authenticated and decoded, and checked
 * against the frame budget.
 */
final class EnginePair {
    static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.US_ASCII);

    record InFlight(long at, boolean toB, byte[] frame) {}

    final SyncSettings settings;
    final SyncEngine a;
    final SyncEngine b;
    final List<SyncAction> aOut = new ArrayList<>();
    final List<SyncAction> bOut = new ArrayList<>();
    final long delay;
    long now;
    private SyncSession sa;
    private SyncSession sb;
    private final Deque<InFlight> wire = new ArrayDeque<>();
    private long aTimer = Long.MAX_VALUE;
    private long bTimer = Long.MAX_VALUE;
    boolean linkUp;
    int nonce;

    EnginePair(SyncSettings settings, long oneWayDelay) {
        this.settings = settings;
        this.a = new SyncEngine(settings);
        this.b = new SyncEngine(settings);
        this.delay = oneWayDelay;
    }

    void toA(SyncEvent e) {
        route(a.handle(e, now), true);
    }

    void toB(SyncEvent e) {
        route(b.handle(e, now), false);
    }

    void connect() {
        sa = new SyncSession(KEY, 1, ProtocolVersions.CURRENT, new SessionNonce(1, ++nonce));
        sb = new SyncSession(KEY, 2, ProtocolVersions.CURRENT, new SessionNonce(2, ++nonce));
        assertThat(sb.receive(sa.helloFrame())).isInstanceOf(SyncSession.Inbound.Established.class);
        assertThat(sa.receive(sb.helloFrame())).isInstanceOf(SyncSession.Inbound.Established.class);
        linkUp = true;
        toA(new SyncEvent.Connected(2));
        toB(new SyncEvent.Connected(1));
    }

    void disconnect() {
        linkUp = false;
        wire.clear();
        toA(new SyncEvent.Disconnected("test cut the link"));
        toB(new SyncEvent.Disconnected("test cut the link"));
    }

    private void route(List<SyncAction> actions, boolean fromA) {
        (fromA ? aOut : bOut).addAll(actions);
        for (SyncAction act : actions) {
            switch (act) {
                case SyncAction.SendFrame f -> {
                    byte[] bytes = (fromA ? sa : sb).encode(f.seq(), f.records());
                    assertThat(bytes.length).isLessThanOrEqualTo(settings.maxFrameBytes());
                    if (linkUp) {
                        wire.addLast(new InFlight(now + delay, fromA, bytes));
                    }
                }
                case SyncAction.ArmTimer t -> {
                    if (fromA) {
                        aTimer = t.atNanos();
                    } else {
                        bTimer = t.atNanos();
                    }
                }
                case SyncAction.CloseLink c -> linkUp = false;
                default -> { }
            }
        }
    }

    /** Runs the simulation until {@code until}, delivering frames and firing timers in time order. */
    void runUntil(long until) {
        while (true) {
            long next = Math.min(Math.min(aTimer, bTimer), wire.isEmpty() ? Long.MAX_VALUE : wire.peekFirst().at());
            if (next > until) {
                now = until;
                return;
            }
            now = Math.max(now, next);
            if (!wire.isEmpty() && wire.peekFirst().at() <= now) {
                InFlight f = wire.pollFirst();
                SyncSession.Inbound in = (f.toB() ? sb : sa).receive(f.frame());
                SyncSession.Inbound.Records r = (SyncSession.Inbound.Records) in;
                SyncEvent ev = new SyncEvent.FrameReceived(r.seq(), r.records());
                if (f.toB()) {
                    toB(ev);
                } else {
                    toA(ev);
                }
            } else if (aTimer <= now) {
                aTimer = Long.MAX_VALUE;
                toA(new SyncEvent.Tick());
            } else {
                bTimer = Long.MAX_VALUE;
                toB(new SyncEvent.Tick());
            }
        }
    }

    static <T extends SyncAction> List<T> only(List<SyncAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
