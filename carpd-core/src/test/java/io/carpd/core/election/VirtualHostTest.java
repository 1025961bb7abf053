package io.carpd.core.election;

import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.carpd.core.election.CarpTimers.TICK_NANOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualHostTest {

    static final long T0 = 1_000_000_000_000L;
    static final long SEC = 1_000_000_000L;

    static VirtualHostConfig cfg(int advbase, int advskew, boolean preempt) {
        return new VirtualHostConfig(5, advbase, advskew, preempt, 3, MasterDownFormula.CLASSIC, true, false, Set.of());
    }

    static VirtualHostConfig dualStack(int advbase, int advskew) {
        return new VirtualHostConfig(5, advbase, advskew, false, 3, MasterDownFormula.CLASSIC, true, true, Set.of());
    }

    static Advertisement ad(int advbase, int advskew, int demote) {
        return new Advertisement(5, advbase, advskew, demote, 42);
    }

    static VhEvent.AdvertReceived rx(int advbase, int advskew, int demote) {
        return new VhEvent.AdvertReceived(Family.INET, ad(advbase, advskew, demote));
    }

    static VirtualHost backup(VirtualHostConfig cfg) {
        VirtualHost vh = new VirtualHost(cfg, 7);
        vh.handle(new VhEvent.Start(), T0);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
        return vh;
    }

    /** A host that became MASTER by master-down at {@code T0 + masterDown}. */
    static VirtualHost master(VirtualHostConfig cfg) {
        VirtualHost vh = backup(cfg);
        vh.handle(new VhEvent.TimerExpired(), T0 + vh.masterDownNanos());
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        return vh;
    }

    static long masterSince(VirtualHost vh) {
        return T0 + vh.masterDownNanos();
    }

    static List<Advertisement> sent(List<VhAction> actions) {
        return actions.stream().filter(a -> a instanceof VhAction.SendAdvert)
                .map(a -> ((VhAction.SendAdvert) a).advert()).toList();
    }

    static String reason(List<VhAction> actions) {
        return actions.stream().filter(a -> a instanceof VhAction.Transition)
                .map(a -> ((VhAction.Transition) a).reason()).findFirst().orElseThrow();
    }

    // ---- Startup ----
    @Test
    void startsSilentInBackupAndArmsMasterDown() {
        VirtualHost vh = new VirtualHost(cfg(1, 100, false), 1);
        List<VhAction> out = vh.handle(new VhEvent.Start(), T0);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.INIT, CarpState.BACKUP, "started"),
                new VhAction.ArmTimer(T0 + (3 * 256 + 100) * TICK_NANOS));
        assertThat(sent(out)).isEmpty();
    }

    @Test
    void startsInInitWhenLinkDown() {
        VirtualHost vh = new VirtualHost(cfg(1, 0, false), 1);
        vh.handle(new VhEvent.LinkChanged(false), T0);
        assertThat(vh.handle(new VhEvent.Start(), T0)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.INIT);
    }

    @Test
    void staysSilentBeforeMasterDownExpires() {
        VirtualHost vh = backup(cfg(1, 0, false));
        List<VhAction> early = vh.handle(new VhEvent.TimerExpired(), T0 + vh.masterDownNanos() - 1);
        assertThat(early).containsExactly(new VhAction.ArmTimer(T0 + vh.masterDownNanos()));
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void becomingMasterEmitsTransitionTakeAdvertAnnounceArmInOrder() {
        VirtualHost vh = backup(cfg(1, 100, false));
        long now = T0 + vh.masterDownNanos();
        List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), now);
        assertThat(out).hasSize(5);
        assertThat(out.get(0)).isEqualTo(new VhAction.Transition(CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s"));
        assertThat(out.get(1)).isInstanceOf(VhAction.TakeAddresses.class);
        assertThat(out.get(2)).isInstanceOf(VhAction.SendAdvert.class);
        assertThat(out.get(3)).isInstanceOf(VhAction.Announce.class);
        assertThat(out.get(4)).isEqualTo(new VhAction.ArmTimer(now + 356 * TICK_NANOS));
        Advertisement a = sent(out).getFirst();
        assertThat(a).extracting(Advertisement::vhid, Advertisement::advbase, Advertisement::advskew, Advertisement::demote)
                .containsExactly(5, 1, 100, 0);
        assertThat(vh.lastTransition()).contains(new StateChange(CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s", now));
    }

    // ---- Timers ----
    @Test
    void masterDownClassicIsDeadRatioTimesAdvbasePlusSkew() {
        var c = new VirtualHostConfig(1, 2, 128, false, 4, MasterDownFormula.CLASSIC, true, false, Set.of());
        assertThat(CarpTimers.masterDownTicks(c)).isEqualTo(4 * 2 * 256 + 128);
    }

    @Test
    void masterDownOpenbsdCurrentScalesTheSkewToo() {
        var c = new VirtualHostConfig(1, 2, 128, false, 3, MasterDownFormula.OPENBSD_CURRENT, true, false, Set.of());
        assertThat(CarpTimers.masterDownTicks(c)).isEqualTo(3 * (2 * 256 + 128));
    }

    @Test
    void masterDownClassicWithAdvbaseZeroMultipliesTheSkew() {
        var c = new VirtualHostConfig(1, 0, 20, false, 3, MasterDownFormula.CLASSIC, true, false, Set.of());
        assertThat(CarpTimers.masterDownTicks(c)).isEqualTo(60);
        assertThat(CarpTimers.advertIntervalTicks(0, 20)).isEqualTo(20);
    }

    @Test
    void masterDownNeverBelowThreeTicks() {
        var zero = new VirtualHostConfig(1, 0, 0, false, 3, MasterDownFormula.CLASSIC, true, false, Set.of());
        var one = new VirtualHostConfig(1, 0, 2, false, 1, MasterDownFormula.CLASSIC, true, false, Set.of());
        assertThat(CarpTimers.masterDownTicks(zero)).isEqualTo(3);
        assertThat(CarpTimers.masterDownTicks(one)).isEqualTo(3);
        assertThat(new VirtualHost(zero, 1).masterDownNanos()).isEqualTo(3 * TICK_NANOS);
    }

    @Test
    void masterDownUsesConfiguredSkewEvenWhenDemoted() {
        VirtualHost vh = new VirtualHost(cfg(1, 10, false), 1);
        long before = vh.masterDownNanos();
        vh.handle(new VhEvent.DemotionChanged(200), T0);
        assertThat(vh.masterDownNanos()).isEqualTo(before).isEqualTo((3 * 256 + 10) * TICK_NANOS);
    }

    @Test
    void advertIntervalIsOneTickWhenAdvbaseAndSkewAreZero() {
        VirtualHost vh = master(cfg(0, 0, false));
        assertThat(vh.advertIntervalNanos()).isEqualTo(TICK_NANOS);
        long t = masterSince(vh) + TICK_NANOS;
        List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), t);
        assertThat(sent(out)).hasSize(1);
        assertThat(out.getLast()).isEqualTo(new VhAction.ArmTimer(t + TICK_NANOS));
    }

    @Test
    void masterAdvertisesEveryIntervalWithCounterPlusOne() {
        VirtualHost vh = master(cfg(1, 0, false));
        long t = masterSince(vh);
        long previous = Long.MIN_VALUE;
        for (int i = 1; i <= 3; i++) {
            List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), t + i * SEC);
            Advertisement a = sent(out).getFirst();
            if (i > 1) assertThat(a.counter()).isEqualTo(previous + 1);
            previous = a.counter();
            assertThat(out.getLast()).isEqualTo(new VhAction.ArmTimer(t + (i + 1) * SEC));
        }
    }

    @Test
    void counterStartsAtRandomPointOfTheSeed() {
        long c1 = sent(master(cfg(1, 0, false)).handle(new VhEvent.DemotionChanged(1), 0)).getFirst().counter();
        VirtualHost other = new VirtualHost(cfg(1, 0, false), 8);
        other.handle(new VhEvent.Start(), T0);
        other.handle(new VhEvent.TimerExpired(), T0 + other.masterDownNanos());
        long c2 = sent(other.handle(new VhEvent.DemotionChanged(1), 0)).getFirst().counter();
        assertThat(c1).isNotEqualTo(c2);
    }

    @Test
    void sentCounterRecognisesOnlyOwnCounters() {
        VirtualHost vh = backup(cfg(1, 0, false));
        List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), T0 + vh.masterDownNanos());
        long c = sent(out).getFirst().counter();
        assertThat(vh.sentCounter(c)).isTrue();
        assertThat(vh.sentCounter(c + 1)).isFalse();
        assertThat(vh.sentCounter(c - 1)).isFalse();
    }

    @Test
    void backupAcceptsNonMonotonicCounters() {
        VirtualHost vh = backup(cfg(1, 50, false));
        long t = T0;
        long[] counters = {100, 5, 5, Long.MIN_VALUE, 99};
        for (long c : counters) {
            t += SEC;
            List<VhAction> out = vh.handle(new VhEvent.AdvertReceived(Family.INET, new Advertisement(5, 1, 0, 0, c)), t);
            assertThat(out).containsExactly(new VhAction.ArmTimer(t + vh.masterDownNanos()));
        }
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    // ---- PerFamilyTimers ----
    @Test
    void backupGoesMasterWhenOnlyIpv6AdvertsStop() {
        VirtualHost vh = backup(dualStack(1, 0));
        long md = vh.masterDownNanos();
        long t = T0;
        for (int i = 0; i < 3; i++) {
            t += SEC;
            vh.handle(new VhEvent.AdvertReceived(Family.INET, ad(1, 0, 0)), t);
        }
        // IPv4 keeps being refreshed, but IPv6 has been silent since start.
        List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), T0 + md);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(reason(out)).isEqualTo("no IPv6 advertisement for 3.00 s");
    }

    @Test
    void timerArmedForTheEarliestFamilyDeadline() {
        VirtualHost vh = backup(dualStack(1, 0));
        long md = vh.masterDownNanos();
        List<VhAction> out = vh.handle(new VhEvent.AdvertReceived(Family.INET6, ad(1, 0, 0)), T0 + SEC);
        // IPv4 deadline (T0 + md) is still the earliest.
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + md));
        out = vh.handle(new VhEvent.AdvertReceived(Family.INET, ad(1, 0, 0)), T0 + 2 * SEC);
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + SEC + md));
    }

    @Test
    void singleFamilyHostHasOnlyItsOwnTimer() {
        VirtualHost vh = backup(cfg(1, 0, false));
        long t = T0;
        for (int i = 0; i < 10; i++) {
            t += SEC;
            vh.handle(rx(1, 0, 0), t);
            vh.handle(new VhEvent.TimerExpired(), t);
        }
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    // ---- MasterRules ----
    @Test
    void masterYieldsToBetterInterval() {
        VirtualHost vh = master(cfg(1, 100, false));
        long now = masterSince(vh) + 10;
        List<VhAction> out = vh.handle(rx(1, 50, 0), now);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.MASTER, CarpState.BACKUP, "preempted by better master (advbase 1 advskew 50 demote 0)"),
                new VhAction.ReleaseAddresses(),
                new VhAction.ArmTimer(now + vh.masterDownNanos()));
    }

    @Test
    void masterYieldsToEqualInterval() {
        VirtualHost vh = master(cfg(1, 100, false));
        List<VhAction> out = vh.handle(rx(1, 100, 0), masterSince(vh) + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
        assertThat(reason(out)).startsWith("yielded to master with equal interval");
    }

    @Test
    void masterComparesAdvbaseAndSkewAsOneInterval() {
        // 0 s + 255/256 is shorter than 1 s + 0, although its advskew is larger.
        VirtualHost vh = master(cfg(1, 0, false));
        vh.handle(rx(0, 255, 0), masterSince(vh) + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void masterKeepsRoleAgainstWorseInterval() {
        VirtualHost vh = master(cfg(1, 100, false));
        assertThat(vh.handle(rx(1, 101, 0), masterSince(vh) + 10)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
    }

    @Test
    void masterYieldsToLessDemotedPeerEvenWithWorseInterval() {
        VirtualHost vh = master(cfg(1, 0, false));
        vh.handle(new VhEvent.DemotionChanged(2), masterSince(vh));
        List<VhAction> out = vh.handle(rx(2, 200, 1), masterSince(vh) + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
        assertThat(reason(out)).isEqualTo("demoted (demote 2, master advbase 2 advskew 200 demote 1)");
    }

    @Test
    void masterKeepsRoleAgainstBetterIntervalWithHigherDemote() {
        VirtualHost vh = master(cfg(1, 100, false));
        assertThat(vh.handle(rx(0, 10, 1), masterSince(vh) + 10)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
    }

    @Test
    void masterComparesItsAdvertisedNotConfiguredSkew() {
        VirtualHost vh = master(cfg(1, 0, false));
        vh.handle(new VhEvent.DemotionChanged(100), masterSince(vh));
        assertThat(vh.advertisedSkew()).isEqualTo(100);
        // Same demote; 50 is better than our advertised 100 although worse than our configured 0.
        vh.handle(rx(1, 50, 100), masterSince(vh) + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void masterIgnoresBowOutOfAnotherNode() {
        VirtualHost vh = master(cfg(1, 0, false));
        assertThat(vh.handle(rx(255, 255, 0), masterSince(vh) + 10)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
    }

    // ---- BackupRules ----
    @Test
    void backupWithPreemptTakesOverFromWorseMaster() {
        VirtualHost vh = backup(cfg(1, 10, true));
        List<VhAction> out = vh.handle(rx(1, 20, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(reason(out)).isEqualTo("preempting worse master (advbase 1 advskew 20 demote 0)");
    }

    @Test
    void backupWithoutPreemptKeepsWaitingForWorseMaster() {
        VirtualHost vh = backup(cfg(1, 10, false));
        List<VhAction> out = vh.handle(rx(1, 20, 0), T0 + SEC);
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + SEC + vh.masterDownNanos()));
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void backupWithPreemptDoesNotTakeOverFromEqualMaster() {
        VirtualHost vh = backup(cfg(1, 10, true));
        vh.handle(rx(1, 10, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void backupWithPreemptDoesNotTakeOverFromLessDemotedWorseMaster() {
        VirtualHost vh = backup(cfg(1, 10, true));
        vh.handle(new VhEvent.DemotionChanged(1), T0);
        // Advertised skew 11 < 200, but his demote 0 < ours 1.
        vh.handle(rx(1, 200, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void backupTakesOverWhenHisDemoteIsHigherEvenWithoutPreempt() {
        VirtualHost vh = backup(cfg(1, 200, false));
        List<VhAction> out = vh.handle(rx(1, 0, 1), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(reason(out)).isEqualTo("master is demoted (advbase 1 advskew 0 demote 1, our demote 0)");
    }

    @Test
    void masterWillTimeOutRule() {
        // Our master-down is 3·1 s + 0: a master advertising every 4 s would always time out.
        VirtualHost vh = backup(cfg(1, 0, false));
        List<VhAction> out = vh.handle(rx(4, 0, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(reason(out)).isEqualTo("master will time out (advbase 4 advskew 0 demote 0)");
    }

    @Test
    void masterWillTimeOutNotAppliedWhenHisIntervalFitsMasterDown() {
        VirtualHost vh = backup(cfg(1, 0, false));
        vh.handle(rx(3, 0, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void masterWillTimeOutSkippedWhenAdvbaseZero() {
        VirtualHost vh = backup(cfg(0, 50, false));
        List<VhAction> out = vh.handle(rx(1, 0, 0), T0 + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + 10 + vh.masterDownNanos()));
    }

    @Test
    void bowOutReceivedMakesBackupMasterAtOnce() {
        VirtualHost vh = backup(cfg(1, 100, false));
        List<VhAction> out = vh.handle(rx(255, 255, 0), T0 + SEC);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(reason(out)).isEqualTo("bow-out received");
    }

    @Test
    void bowOutWaitsForMasterDownWhenAdvbaseZeroWithoutPreempt() {
        VirtualHost vh = backup(cfg(0, 100, false));
        vh.handle(rx(255, 255, 0), T0 + 10);
        assertThat(vh.state()).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void advertsIgnoredInInit() {
        VirtualHost vh = new VirtualHost(cfg(1, 0, true), 1);
        assertThat(vh.handle(rx(1, 200, 100), T0)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.INIT);
    }

    @Test
    void advertForAnotherVhidIsRejected() {
        VirtualHost vh = backup(cfg(1, 0, false));
        assertThatThrownBy(() -> vh.handle(new VhEvent.AdvertReceived(Family.INET, new Advertisement(6, 1, 0, 0, 0)), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vhid 6");
    }

    // ---- Leaving ----
    @Test
    void stopFromMasterBowsOutThenReleases() {
        VirtualHost vh = master(cfg(1, 0, false));
        List<VhAction> out = vh.handle(new VhEvent.Stop(), masterSince(vh) + 10);
        assertThat(out).hasSize(4);
        Advertisement bow = sent(out).getFirst();
        assertThat(bow.isBowOut()).isTrue();
        assertThat(out.get(0)).isInstanceOf(VhAction.SendAdvert.class);
        assertThat(out.get(1)).isEqualTo(new VhAction.Transition(CarpState.MASTER, CarpState.INIT, "stopped"));
        assertThat(out.get(2)).isEqualTo(new VhAction.ReleaseAddresses());
        assertThat(out.get(3)).isEqualTo(new VhAction.CancelTimer());
    }

    @Test
    void startAfterStopListensSilentlyAgain() {
        VirtualHost vh = master(cfg(1, 0, false));
        long t = masterSince(vh) + 10;
        vh.handle(new VhEvent.Stop(), t);
        List<VhAction> out = vh.handle(new VhEvent.Start(), t + SEC);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.INIT, CarpState.BACKUP, "started"),
                new VhAction.ArmTimer(t + SEC + vh.masterDownNanos()));
    }

    @Test
    void secondStartIsIgnored() {
        VirtualHost vh = backup(cfg(1, 0, false));
        assertThat(vh.handle(new VhEvent.Start(), T0 + SEC)).isEmpty();
    }

    @Test
    void stopFromBackupIsSilent() {
        VirtualHost vh = backup(cfg(1, 0, false));
        List<VhAction> out = vh.handle(new VhEvent.Stop(), T0 + 10);
        assertThat(out).containsExactly(new VhAction.Transition(CarpState.BACKUP, CarpState.INIT, "stopped"), new VhAction.CancelTimer());
    }

    @Test
    void linkDownFromMasterReleasesWithoutBowOut() {
        VirtualHost vh = master(cfg(1, 0, false));
        List<VhAction> out = vh.handle(new VhEvent.LinkChanged(false), masterSince(vh) + 10);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.MASTER, CarpState.INIT, "link down"),
                new VhAction.ReleaseAddresses(),
                new VhAction.CancelTimer());
    }

    @Test
    void linkUpReturnsToSilentBackupNotMaster() {
        VirtualHost vh = master(cfg(1, 0, false));
        long t = masterSince(vh) + 10;
        vh.handle(new VhEvent.LinkChanged(false), t);
        List<VhAction> out = vh.handle(new VhEvent.LinkChanged(true), t + SEC);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.INIT, CarpState.BACKUP, "link up"),
                new VhAction.ArmTimer(t + SEC + vh.masterDownNanos()));
    }

    @Test
    void disableReleasesWithBowOutAndStaysSilentUntilEnabled() {
        VirtualHost vh = master(cfg(1, 0, true));
        long t = masterSince(vh) + 10;
        List<VhAction> out = vh.handle(new VhEvent.Disabled(true), t);
        assertThat(sent(out)).singleElement().matches(Advertisement::isBowOut);
        assertThat(out).contains(new VhAction.Transition(CarpState.MASTER, CarpState.INIT, "disabled"), new VhAction.ReleaseAddresses());
        assertThat(out.getLast()).isEqualTo(new VhAction.CancelTimer());
        // Silent: worse masters, timers and demotion changes do nothing.
        assertThat(vh.handle(rx(1, 200, 50), t + SEC)).isEmpty();
        assertThat(vh.handle(new VhEvent.TimerExpired(), t + 100 * SEC)).isEmpty();
        assertThat(vh.handle(new VhEvent.DemotionChanged(5), t + 100 * SEC)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.INIT);
        out = vh.handle(new VhEvent.Disabled(false), t + 200 * SEC);
        assertThat(out).containsExactly(
                new VhAction.Transition(CarpState.INIT, CarpState.BACKUP, "enabled"),
                new VhAction.ArmTimer(t + 200 * SEC + vh.masterDownNanos()));
    }

    @Test
    void linkUpWhileDisabledStaysInit() {
        VirtualHost vh = backup(cfg(1, 0, false));
        vh.handle(new VhEvent.Disabled(true), T0);
        vh.handle(new VhEvent.LinkChanged(false), T0);
        assertThat(vh.handle(new VhEvent.LinkChanged(true), T0 + 1)).isEmpty();
        assertThat(vh.state()).isEqualTo(CarpState.INIT);
    }

    // ---- Reconfigure ----

    @Test
    void reconfiguredMasterKeepsRoleAndAdvertisesNewSkewAtOnce() {
        VirtualHost vh = master(cfg(1, 0, false));
        long t = masterSince(vh) + 10;
        List<VhAction> out = vh.reconfigure(cfg(1, 50, true), t);
        assertThat(vh.state()).isEqualTo(CarpState.MASTER);
        assertThat(sent(out)).singleElement().extracting(Advertisement::advskew).isEqualTo(50);
        assertThat(out.getLast()).isEqualTo(new VhAction.ArmTimer(t + (256 + 50) * TICK_NANOS));
    }

    @Test
    void reconfiguredBackupCountsSilenceFromWhenItLastHeard() {
        VirtualHost vh = backup(cfg(1, 0, false));
        vh.handle(rx(1, 10, 0), T0 + SEC);
        // Master-down grows from 3 s to 6 s + 100/256: the deadline moves, measured from T0 + 1 s.
        List<VhAction> out = vh.reconfigure(cfg(2, 100, false), T0 + 2 * SEC);
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + SEC + (6 * 256 + 100) * TICK_NANOS));
        // Shrinking below the silence already counted fires at once.
        out = vh.reconfigure(cfg(0, 20, false), T0 + 2 * SEC);
        assertThat(out).containsExactly(new VhAction.ArmTimer(T0 + 2 * SEC));
    }

    @Test
    void reconfigureAddingIpv6StartsItsTimerNow() {
        VirtualHost vh = backup(cfg(1, 0, false));
        vh.handle(rx(1, 0, 0), T0 + 2 * SEC);
        vh.reconfigure(dualStack(1, 0), T0 + 2 * SEC + 5);
        vh.handle(rx(1, 0, 0), T0 + 4 * SEC);
        // IPv4 keeps being heard; IPv6 has been silent since the reload.
        List<VhAction> out = vh.handle(new VhEvent.TimerExpired(), T0 + 2 * SEC + 5 + vh.masterDownNanos());
        assertThat(reason(out)).isEqualTo("no IPv6 advertisement for 3.00 s");
    }

    @Test
    void reconfigureToAnotherVhidIsRejected() {
        VirtualHost vh = backup(cfg(1, 0, false));
        var other = new VirtualHostConfig(6, 1, 0, false, 3, MasterDownFormula.CLASSIC, true, false, Set.of());
        assertThatThrownBy(() -> vh.reconfigure(other, T0)).hasMessageContaining("vhid 6");
    }

    // ---- DemotionOnTheWire ----
    @Test
    void demotionFoldsIntoAdvertisedSkewCappedAt240() {
        VirtualHost vh = new VirtualHost(cfg(1, 100, false), 1);
        vh.handle(new VhEvent.DemotionChanged(32), T0);
        assertThat(vh.advertisedSkew()).isEqualTo(132);
        vh.handle(new VhEvent.DemotionChanged(240), T0);
        assertThat(vh.advertisedSkew()).isEqualTo(240);
        vh.handle(new VhEvent.DemotionChanged(255), T0);
        assertThat(vh.advertisedSkew()).isEqualTo(240);
        vh.handle(new VhEvent.DemotionChanged(0), T0);
        assertThat(vh.advertisedSkew()).isEqualTo(100);
    }

    @Test
    void demotionNeverLowersAConfiguredSkewAbove240() {
        VirtualHost vh = new VirtualHost(cfg(1, 250, false), 1);
        vh.handle(new VhEvent.DemotionChanged(10), T0);
        assertThat(vh.advertisedSkew()).isEqualTo(250);
    }

    @Test
    void demotionChangeWhileMasterSendsDemotedAdvertAtOnce() {
        VirtualHost vh = master(cfg(1, 20, false));
        long t = masterSince(vh) + 10;
        List<VhAction> out = vh.handle(new VhEvent.DemotionChanged(240), t);
        assertThat(sent(out)).singleElement()
                .extracting(Advertisement::advbase, Advertisement::advskew, Advertisement::demote)
                .containsExactly(1, 240, 240);
        // The period follows the advertised skew: 1 s + 240/256.
        assertThat(out.getLast()).isEqualTo(new VhAction.ArmTimer(t + (256 + 240) * TICK_NANOS));
    }

    @Test
    void demotionChangeWhileBackupIsSilent() {
        VirtualHost vh = backup(cfg(1, 20, false));
        assertThat(vh.handle(new VhEvent.DemotionChanged(240), T0 + 1)).isEmpty();
        assertThat(vh.demotion()).isEqualTo(240);
    }

    @Test
    void outOfRangeDemotionIsRejected() {
        VirtualHost vh = backup(cfg(1, 20, false));
        assertThatThrownBy(() -> vh.handle(new VhEvent.DemotionChanged(256), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }
}
