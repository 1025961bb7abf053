package io.carpd.core.runtime;

import io.carpd.core.config.AnnounceConfig;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import io.carpd.core.wire.Advertisement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ActionExecutorTest {

    private static final VhKey LAN2 = new VhKey("lan", 2);
    private static final long MS = 1_000_000L;

    @TempDir
    Path runtimeDir;

    private final List<String> ops = new ArrayList<>();
    private final List<VhKey> expired = new ArrayList<>();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final EventHistory history = new EventHistory(16,
            Clock.fixed(Instant.parse("2026-11-25T21:00:00Z"), ZoneOffset.UTC));
    private final RuntimeCounters counters = new RuntimeCounters();
    private final OwnedVip vip4 = new OwnedVip("lan", InetAddress.ofLiteral("192.0.2.254"), 24);
    private final OwnedVip vip6 = new OwnedVip("lan", InetAddress.ofLiteral("2001:db8::254"), 64);
    private OwnedVipsFile file;
    private boolean failAdds;

    private ActionExecutor executor(AnnounceConfig policy) {
        file = new OwnedVipsFile(runtimeDir);
        AddressOps addresses = new AddressOps() {
            @Override
            public void activate(VhKey key) {
                ops.add("activate " + key.vhid());
            }

            @Override
            public void deactivate(VhKey key) {
                ops.add("deactivate " + key.vhid());
            }

            @Override
            public boolean add(OwnedVip vip) {
                try {
                    ops.add("add " + vip.cidr() + (file.read().contains(vip) ? " (recorded)" : " (NOT recorded)"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (failAdds) throw new IllegalStateException("Operation not permitted");
                return true;
            }

            @Override
            public boolean delete(OwnedVip vip) {
                ops.add("delete " + vip.cidr());
                return true;
            }
        };
        FrameOps frames = new FrameOps() {
            @Override
            public void sendAdvert(VhKey key, Advertisement advert) {
                ops.add("advert " + key.vhid() + " skew " + advert.advskew());
            }

            @Override
            public void announce(VhKey key) {
                ops.add("announce " + key.vhid() + " at " + (scheduler.nanoTime() / MS) + " ms");
            }
        };
        ActionExecutor ex = new ActionExecutor(addresses, frames, policy, scheduler, new OwnedVips(file), history,
                counters, expired::add, batch -> ops.add("after batch: " + batch.size() + " notable"));
        ex.register(LAN2, List.of(vip4, vip6));
        return ex;
    }

    private static NodeAction host(VhAction a) {
        return new NodeAction.Host(LAN2, a);
    }

    private static final AnnounceConfig ONCE = new AnnounceConfig(1, Duration.ZERO, Duration.ZERO);

    @Test
    void takeoverRecordsVipsBeforeAddingThemThenAdvertisesThenAnnounces() throws IOException {
        ActionExecutor ex = executor(ONCE);
        ex.execute(List.of(
                host(new VhAction.Transition(CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s")),
                host(new VhAction.TakeAddresses()),
                host(new VhAction.SendAdvert(new Advertisement(2, 1, 0, 0, 7L))),
                host(new VhAction.Announce())));

        assertThat(ops).containsExactly(
                "activate 2",
                "add 192.0.2.254/24 (recorded)",
                "add 2001:db8::254/64 (recorded)",
                "advert 2 skew 0",
                "announce 2 at 1000 ms",
                "after batch: 1 notable");
        assertThat(file.read()).containsExactly(vip4, vip6);
    }

    @Test
    void releaseRemovesAddressesAndClearsTheRecord() throws IOException {
        ActionExecutor ex = executor(ONCE);
        ex.execute(List.of(host(new VhAction.TakeAddresses())));
        ex.execute(List.of(host(new VhAction.ReleaseAddresses())));

        assertThat(ops).endsWith("delete 192.0.2.254/24", "delete 2001:db8::254/64", "deactivate 2");
        assertThat(file.read()).isEmpty();
        assertThat(file.path()).doesNotExist();
    }

    @Test
    void failedAddIsCountedAndTheRestOfTheTakeoverStillRuns() {
        failAdds = true;
        ActionExecutor ex = executor(ONCE);
        ex.execute(List.of(host(new VhAction.TakeAddresses()),
                host(new VhAction.SendAdvert(new Advertisement(2, 1, 0, 0, 7L)))));

        assertThat(counters.drops("lan", "address_error")).isEqualTo(2);
        assertThat(ops).endsWith("advert 2 skew 0");
    }

    @Test
    void announcementsRepeatAtTheConfiguredIntervalAndStopOnRelease() {
        ActionExecutor ex = executor(new AnnounceConfig(3, Duration.ofMillis(100), Duration.ZERO));
        ex.execute(List.of(host(new VhAction.Announce())));
        scheduler.advance(150 * MS);
        ex.execute(List.of(host(new VhAction.ReleaseAddresses())));
        scheduler.advance(1000 * MS);

        assertThat(ops).filteredOn(s -> s.startsWith("announce"))
                .containsExactly("announce 2 at 1000 ms", "announce 2 at 1100 ms");
    }

    @Test
    void refreshKeepsAnnouncingWhileMasterAndStopsWhenLeavingMaster() {
        ActionExecutor ex = executor(new AnnounceConfig(1, Duration.ofMillis(100), Duration.ofSeconds(10)));
        ex.execute(List.of(host(new VhAction.Announce())));
        scheduler.advance(25_000 * MS);
        ex.execute(List.of(host(new VhAction.Transition(CarpState.MASTER, CarpState.BACKUP, "preempted"))));
        scheduler.advance(60_000 * MS);

        assertThat(ops).filteredOn(s -> s.startsWith("announce"))
                .containsExactly("announce 2 at 1000 ms", "announce 2 at 11000 ms", "announce 2 at 21000 ms");
    }

    @Test
    void armingReplacesThePreviousDeadlineAndCancelStopsIt() {
        ActionExecutor ex = executor(ONCE);
        long t0 = scheduler.nanoTime();
        ex.execute(List.of(host(new VhAction.ArmTimer(t0 + 3000 * MS))));
        ex.execute(List.of(host(new VhAction.ArmTimer(t0 + 1000 * MS))));
        scheduler.advance(5000 * MS);
        assertThat(expired).containsExactly(LAN2);

        ex.execute(List.of(host(new VhAction.ArmTimer(scheduler.nanoTime() + 1000 * MS)),
                host(new VhAction.CancelTimer())));
        scheduler.advance(5000 * MS);
        assertThat(expired).containsExactly(LAN2);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void transitionsAndDemotionsGoToTheHistoryAsOneLineEach() {
        ActionExecutor ex = executor(ONCE);
        ex.execute(List.of(
                host(new VhAction.Transition(CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s")),
                new NodeAction.DemotionChanged("carp", 240, "maintenance")));

        assertThat(history.latest(10)).containsExactly(
                new HistoryEvent(1, Instant.parse("2026-11-25T21:00:00Z"), "transition", "lan", 2,
                        "vhid 2 on lan: BACKUP -> MASTER (no advertisement for 3.39 s)"),
                new HistoryEvent(2, Instant.parse("2026-11-25T21:00:00Z"), "demotion", null, 0,
                        "demotion of group carp is now 240 (maintenance)"));
        assertThat(counters.transitions()).containsExactly(
                new RuntimeCounters.TransitionCount("lan", 2, CarpState.MASTER, "master_down", 1));
    }

    @Test
    void unregisterWithdrawsTheHostsTimerAndAnnouncements() {
        ActionExecutor ex = executor(new AnnounceConfig(3, Duration.ofMillis(100), Duration.ofSeconds(10)));
        ex.execute(List.of(host(new VhAction.Announce()), host(new VhAction.ArmTimer(scheduler.nanoTime() + 1000 * MS))));
        ex.unregister(LAN2);
        scheduler.advance(60_000 * MS);

        assertThat(expired).isEmpty();
        assertThat(ops).containsExactly("announce 2 at 1000 ms");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void releaseAllRemovesWhateverIsStillRecorded() throws IOException {
        ActionExecutor ex = executor(ONCE);
        ex.execute(List.of(host(new VhAction.TakeAddresses())));
        ex.releaseAll();

        assertThat(ops).endsWith("delete 192.0.2.254/24", "delete 2001:db8::254/64");
        assertThat(ex.ownedVips()).isEmpty();
        assertThat(file.read()).isEmpty();
    }
}
