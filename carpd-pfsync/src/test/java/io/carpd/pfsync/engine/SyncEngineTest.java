package io.carpd.pfsync.engine;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.conntrack.TcpInfo;
import io.carpd.pfsync.conntrack.Tuple;
import io.carpd.pfsync.wire.FrameCodec;
import io.carpd.pfsync.wire.SyncRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.carpd.pfsync.engine.EnginePair.only;
import static org.assertj.core.api.Assertions.assertThat;

class SyncEngineTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final SyncSettings SETTINGS = new SyncSettings(1400, 50 * MS, S, 3 * S, 30 * S, 32, 4, 30 * S);

    private static InetAddress v4(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) host});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static ConnState tcp(int port, int tcpState, int timeout) {
        return new ConnState(0, Family.INET, Tuple.ports(v4(10), v4(20), Tuple.TCP, port, 443),
                Tuple.ports(v4(20), v4(10), Tuple.TCP, 443, port), 0xe, timeout, 0,
                new TcpInfo(tcpState, 7, 7, 3, 3));
    }

    static ConnState udp(int port, int timeout) {
        return new ConnState(0, Family.INET, Tuple.ports(v4(10), v4(20), Tuple.UDP, port, 53),
                Tuple.ports(v4(20), v4(10), Tuple.UDP, 53, port), 0xe, timeout, 0, null);
    }

    private static List<SyncRecord> sentRecords(List<SyncAction> actions) {
        List<SyncRecord> out = new ArrayList<>();
        for (SyncAction.SendFrame f : only(actions, SyncAction.SendFrame.class)) {
            out.addAll(f.records());
        }
        return out;
    }

    private static List<ConnState> upserts(List<SyncAction> actions) {
        return sentRecords(actions).stream().filter(r -> r instanceof SyncRecord.StateUpsert)
                .map(r -> ((SyncRecord.StateUpsert) r).state()).toList();
    }

    /** A connected pair after the initial (empty) bulk exchange, with outputs cleared. */
    private static EnginePair synced() {
        EnginePair p = new EnginePair(SETTINGS, MS);
        p.toA(new SyncEvent.Start());
        p.toB(new SyncEvent.Start());
        p.connect();
        p.runUntil(200 * MS);
        assertThat(p.a.status().state()).isEqualTo(PeerState.IN_SYNC);
        assertThat(p.b.status().state()).isEqualTo(PeerState.IN_SYNC);
        p.aOut.clear();
        p.bOut.clear();
        return p;
    }

    @Test
    void vhidStatesReachThePeerOnConnectOnChangeAndAreForgottenWhenTheLinkDrops() {
        EnginePair p = new EnginePair(SETTINGS, MS);
        List<io.carpd.pfsync.wire.VhidState> backup = List.of(
                new io.carpd.pfsync.wire.VhidState("lan", 2, io.carpd.core.election.CarpState.BACKUP));
        List<io.carpd.pfsync.wire.VhidState> master = List.of(
                new io.carpd.pfsync.wire.VhidState("lan", 2, io.carpd.core.election.CarpState.MASTER));
        p.toA(new SyncEvent.LocalVhidStates(backup));
        p.connect();
        p.runUntil(p.now + 10 * MS);
        assertThat(p.b.peerVhidStates()).isEqualTo(backup);

        p.toA(new SyncEvent.LocalVhidStates(master));
        p.runUntil(p.now + 10 * MS);
        assertThat(p.b.peerVhidStates()).as("sent on change, long before the next keepalive").isEqualTo(master);
        long sent = only(p.aOut, SyncAction.SendFrame.class).stream()
                .filter(f -> f.records().stream().anyMatch(r -> r instanceof SyncRecord.VhidStates)).count();
        p.runUntil(p.now + 3 * SETTINGS.keepaliveNanos());
        long afterKeepalives = only(p.aOut, SyncAction.SendFrame.class).stream()
                .filter(f -> f.records().stream().anyMatch(r -> r instanceof SyncRecord.VhidStates)).count();
        assertThat(afterKeepalives - sent).as("repeated with every keepalive").isGreaterThanOrEqualTo(2);
        assertThat(p.a.status().unackedFrames()).as("VHID states need no ack").isZero();

        p.disconnect();
        assertThat(p.b.peerVhidStates()).isEmpty();
    }

    @Test
    void repeatedChangesToOneStateAreSentOnceWithTheNewestContent() {
        EnginePair p = synced();
        long t0 = p.now;
        p.toA(new SyncEvent.LocalUpsert(tcp(1000, 1, 120)));
        p.toA(new SyncEvent.LocalUpsert(tcp(1000, 2, 60)));
        p.toA(new SyncEvent.LocalUpsert(tcp(1000, TcpInfo.ESTABLISHED, 432000)));
        assertThat(only(p.aOut, SyncAction.SendFrame.class)).as("nothing before the flush delay").isEmpty();
        p.runUntil(t0 + SETTINGS.flushDelayNanos() - 1);
        assertThat(upserts(p.aOut)).isEmpty();
        p.runUntil(t0 + SETTINGS.flushDelayNanos());
        assertThat(upserts(p.aOut)).containsExactly(tcp(1000, TcpInfo.ESTABLISHED, 432000));
        assertThat(p.a.counters().coalesced()).isEqualTo(2);
        p.runUntil(t0 + 100 * MS);
        assertThat(only(p.bOut, SyncAction.WriteKernel.class)).singleElement()
                .isEqualTo(new SyncAction.WriteKernel(List.of(new CtWrite.Upsert(tcp(1000, TcpInfo.ESTABLISHED, 432000)))));
        assertThat(p.b.isPeerState(tcp(1000, 3, 1).key())).isTrue();
    }

    @Test
    void partialUpdateWithoutTcpInfoKeepsTheKnownTcpInfo() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(tcp(1000, TcpInfo.ESTABLISHED, 100)));
        ConnState partial = new ConnState(0, Family.INET, tcp(1000, 3, 1).original(), tcp(1000, 3, 1).reply(),
                0xe, 200, 5, null);
        p.toA(new SyncEvent.LocalUpsert(partial));
        p.runUntil(p.now + 60 * MS);
        ConnState sent = upserts(p.aOut).getFirst();
        assertThat(sent.tcp()).isEqualTo(tcp(1000, TcpInfo.ESTABLISHED, 100).tcp());
        assertThat(sent.timeoutSeconds()).isEqualTo(200);
        assertThat(sent.mark()).isEqualTo(5);
    }

    @Test
    void aFullFrameIsSentAtOnceAndTheRemainderWaitsForTheDelay() {
        EnginePair p = synced();
        int perFrame = 0;
        int budget = SETTINGS.maxFrameBytes() - FrameCodec.HEADER_BYTES - FrameCodec.MAC_BYTES;
        int size = FrameCodec.recordSize(new SyncRecord.StateUpsert(tcp(1, 3, 1)));
        perFrame = budget / size;
        for (int i = 0; i < perFrame + 3; i++) {
            p.toA(new SyncEvent.LocalUpsert(tcp(2000 + i, TcpInfo.ESTABLISHED, 300)));
        }
        List<SyncAction.SendFrame> immediate = only(p.aOut, SyncAction.SendFrame.class);
        assertThat(immediate).hasSize(1);
        assertThat(immediate.getFirst().records()).hasSize(perFrame);
        p.runUntil(p.now + SETTINGS.flushDelayNanos());
        assertThat(upserts(p.aOut)).hasSize(perFrame + 3);
        assertThat(p.a.status().queuedChanges()).isZero();
    }

    @Test
    void stateBornAndDeadBeforeTheFlushCostsNothingButALaterDeathIsSent() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(udp(5000, 30)));
        p.toA(new SyncEvent.LocalDestroy(udp(5000, 30).key()));
        p.runUntil(p.now + S / 2);
        assertThat(sentRecords(p.aOut)).noneMatch(r -> r instanceof SyncRecord.StateUpsert || r instanceof SyncRecord.StateDelete);

        p.toA(new SyncEvent.LocalUpsert(udp(5001, 30)));
        p.runUntil(p.now + 100 * MS);
        p.toA(new SyncEvent.LocalDestroy(udp(5001, 30).key()));
        p.runUntil(p.now + 100 * MS);
        assertThat(sentRecords(p.aOut)).contains(new SyncRecord.StateDelete(udp(5001, 30).key()));
        assertThat(only(p.bOut, SyncAction.WriteKernel.class).getLast().writes())
                .containsExactly(new CtWrite.Delete(udp(5001, 30).key()));
        assertThat(p.b.state(udp(5001, 30).key())).isNull();
    }

    @Test
    void bulkTransferCarriesTheWholeTableBracketedAndLiftsTheDemotion() {
        EnginePair p = new EnginePair(SETTINGS, MS);
        p.toA(new SyncEvent.Start());
        for (int i = 0; i < 100; i++) {
            p.toA(new SyncEvent.LocalUpsert(i % 2 == 0 ? tcp(3000 + i, TcpInfo.ESTABLISHED, 400) : udp(3000 + i, 30)));
        }
        p.toB(new SyncEvent.Start());
        assertThat(p.bOut).contains(new SyncAction.SetDemotion(32, "state sync not complete"));
        p.connect();
        p.runUntil(S);

        List<SyncRecord> fromA = sentRecords(p.aOut);
        int start = fromA.indexOf(new SyncRecord.BulkStart(1));
        int end = fromA.indexOf(new SyncRecord.BulkEnd(1, 100));
        assertThat(start).isNotNegative();
        assertThat(end).isGreaterThan(start);
        assertThat(fromA.subList(start, end).stream().filter(r -> r instanceof SyncRecord.StateUpsert)).hasSize(100);
        assertThat(only(p.aOut, SyncAction.SendFrame.class).size()).as("several frames").isGreaterThan(4);

        List<CtWrite> written = only(p.bOut, SyncAction.WriteKernel.class).stream().flatMap(w -> w.writes().stream()).toList();
        assertThat(written).hasSize(100).allMatch(w -> w instanceof CtWrite.Upsert);
        assertThat(p.bOut).containsSubsequence(new SyncAction.SetDemotion(32, "state sync not complete"),
                new SyncAction.SetDemotion(0, "bulk transfer complete"));
        assertThat(p.b.status()).satisfies(s -> {
            assertThat(s.state()).isEqualTo(PeerState.IN_SYNC);
            assertThat(s.peerStates()).isEqualTo(100);
            assertThat(s.syncComplete()).isTrue();
        });
        assertThat(p.bOut).contains(new SyncAction.PeerStateChanged(PeerState.CONNECTED, PeerState.BULK_RECEIVING,
                "bulk transfer 1 started"));
    }

    @Test
    void withoutAPeerTheDemotionIsLiftedAtTheBulkTimeout() {
        SyncEngine e = new SyncEngine(SETTINGS);
        assertThat(e.handle(new SyncEvent.Start(), 0)).containsExactly(
                new SyncAction.SetDemotion(32, "state sync not complete"), new SyncAction.ArmTimer(30 * S));
        assertThat(e.handle(new SyncEvent.Tick(), 30 * S - 1)).noneMatch(a -> a instanceof SyncAction.SetDemotion);
        List<SyncAction> at = e.handle(new SyncEvent.Tick(), 30 * S);
        assertThat(only(at, SyncAction.SetDemotion.class)).singleElement()
                .satisfies(d -> {
                    assertThat(d.value()).isZero();
                    assertThat(d.reason()).contains("no bulk transfer within 30000 ms");
                });
        assertThat(e.status().syncComplete()).isTrue();
    }

    @Test
    void peerStatesThatDiedWhileTheLinkWasDownArePurgedAtTheNextBulkEnd() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(tcp(4000, TcpInfo.ESTABLISHED, 400)));
        p.toA(new SyncEvent.LocalUpsert(tcp(4001, TcpInfo.ESTABLISHED, 400)));
        p.runUntil(p.now + 100 * MS);
        assertThat(p.b.status().peerStates()).isEqualTo(2);
        p.disconnect();
        p.toA(new SyncEvent.LocalDestroy(tcp(4000, 3, 1).key()));
        p.bOut.clear();
        p.connect();
        p.runUntil(p.now + S);
        assertThat(only(p.bOut, SyncAction.WriteKernel.class).stream().flatMap(w -> w.writes().stream()))
                .contains(new CtWrite.Delete(tcp(4000, 3, 1).key()), new CtWrite.Upsert(tcp(4001, TcpInfo.ESTABLISHED, 400)));
        assertThat(p.b.state(tcp(4000, 3, 1).key())).isNull();
        assertThat(p.b.counters().bulkStalePurged()).isEqualTo(1);
    }

    @Test
    void keepalivesMeasureRttAndSilenceClosesTheLink() {
        EnginePair p = new EnginePair(SETTINGS, 7 * MS);
        p.connect();
        p.runUntil(2500 * MS);
        assertThat(p.a.status().rttNanos()).isEqualTo(14 * MS);
        assertThat(sentRecords(p.aOut).stream().filter(r -> r instanceof SyncRecord.Keepalive)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(p.a.status().state()).isEqualTo(PeerState.IN_SYNC);

        // The link goes silent without a close (peer crashed): after 3 s of nothing, close.
        p.linkUp = false;
        long silentFrom = p.now;
        p.runUntil(silentFrom + 4 * S);
        assertThat(only(p.aOut, SyncAction.CloseLink.class)).singleElement()
                .satisfies(c -> assertThat(c.reason()).startsWith("nothing from peer for"));
        assertThat(p.a.status().state()).isEqualTo(PeerState.DISCONNECTED);
    }

    @Test
    void acknowledgementsCoverDataFramesButNeverAckOnlyFrames() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(udp(6000, 30)));
        p.runUntil(p.now + 300 * MS);
        assertThat(p.a.status().unackedFrames()).isZero();
        assertThat(sentRecords(p.bOut)).anyMatch(r -> r instanceof SyncRecord.Ack);
        int acksFromA = (int) sentRecords(p.aOut).stream().filter(r -> r instanceof SyncRecord.Ack).count();
        p.runUntil(p.now + 5 * S);
        assertThat(sentRecords(p.aOut).stream().filter(r -> r instanceof SyncRecord.Ack).count())
                .as("idle link: no ack ping-pong").isEqualTo(acksFromA);
    }

    @Test
    void lagIsTheAgeOfTheOldestUnacknowledgedFrameAndVanishesWithTheAck() {
        EnginePair p = new EnginePair(SETTINGS, 20 * MS);
        p.toA(new SyncEvent.Start());
        p.toB(new SyncEvent.Start());
        p.connect();
        p.runUntil(S);
        p.toA(new SyncEvent.LocalUpsert(udp(6100, 30)));
        long queuedAt = p.now;
        // flushed after 50 ms; still in flight (20 ms each way plus B's 50 ms ack delay) 30 ms later
        p.runUntil(queuedAt + 80 * MS);
        assertThat(p.a.status(p.now).lagNanos()).isEqualTo(30 * MS);
        assertThat(p.a.status(p.now + 5 * MS).lagNanos()).as("grows with the clock").isEqualTo(35 * MS);
        p.runUntil(queuedAt + 300 * MS);
        assertThat(p.a.status(p.now).lagNanos()).isZero();
        assertThat(p.a.status().unackedFrames()).isZero();
    }

    @Test
    void bulkTransfersAreReportedWithDurationAndStateCount() {
        EnginePair p = new EnginePair(SETTINGS, MS);
        p.toA(new SyncEvent.Start());
        for (int i = 0; i < 40; i++) {
            p.toA(new SyncEvent.LocalUpsert(tcp(3500 + i, TcpInfo.ESTABLISHED, 400)));
        }
        p.toB(new SyncEvent.Start());
        assertThat(p.b.status().lastBulkReceived()).isNull();
        p.connect();
        p.runUntil(S);
        BulkInfo received = p.b.status().lastBulkReceived();
        assertThat(received.states()).isEqualTo(40);
        assertThat(received.durationNanos()).isNotNegative().isLessThan(S);
        assertThat(received.endedAtNanos()).isPositive().isLessThanOrEqualTo(p.now);
        assertThat(p.a.status().lastBulkSent().states()).isEqualTo(40);
        assertThat(p.a.status().lastBulkReceived().states()).as("B's empty table").isZero();
    }

    @Test
    void resyncRequestsThePeersTableAndSendsOursWhichRestoresAPeerStateLostOnTheOtherSide() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(tcp(4100, TcpInfo.ESTABLISHED, 400)));
        p.toB(new SyncEvent.LocalUpsert(tcp(4200, TcpInfo.ESTABLISHED, 400)));
        p.runUntil(p.now + 200 * MS);
        long bulksReceivedByA = p.a.counters().bulksReceived();
        long bulksReceivedByB = p.b.counters().bulksReceived();
        p.aOut.clear();
        p.bOut.clear();

        p.toA(new SyncEvent.Resync());
        p.runUntil(p.now + S);

        assertThat(sentRecords(p.aOut)).contains(new SyncRecord.BulkRequest());
        assertThat(p.a.counters().resyncs()).isEqualTo(1);
        assertThat(p.a.counters().bulksReceived()).as("B sent its table").isEqualTo(bulksReceivedByA + 1);
        assertThat(p.b.counters().bulksReceived()).as("A sent its table").isEqualTo(bulksReceivedByB + 1);
        assertThat(upserts(p.aOut)).contains(tcp(4100, TcpInfo.ESTABLISHED, 400));
        assertThat(upserts(p.bOut)).contains(tcp(4200, TcpInfo.ESTABLISHED, 400));
        assertThat(p.a.isPeerState(tcp(4200, 3, 1).key())).isTrue();
        assertThat(p.b.isPeerState(tcp(4100, 3, 1).key())).isTrue();
    }

    @Test
    void resyncWhileDisconnectedDoesNothing() {
        EnginePair p = synced();
        p.disconnect();
        p.aOut.clear();
        p.toA(new SyncEvent.Resync());
        assertThat(only(p.aOut, SyncAction.SendFrame.class)).isEmpty();
        assertThat(p.a.counters().resyncs()).isZero();
    }

    @Test
    void ourKernelTouchingAPeerStateTakesItOverAndItsLocalExpiryIsNotPropagated() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(tcp(7000, TcpInfo.ESTABLISHED, 400)));
        p.toA(new SyncEvent.LocalUpsert(udp(7001, 30)));
        p.runUntil(p.now + 100 * MS);
        ConnKey tcpKey = tcp(7000, 3, 1).key();
        assertThat(p.b.isPeerState(tcpKey)).isTrue();

        // UDP copy times out on B: B forgets it and tells A nothing.
        p.toB(new SyncEvent.LocalDestroy(udp(7001, 30).key()));
        // Failover: traffic now updates the TCP state in B's kernel.
        p.toB(new SyncEvent.LocalUpsert(tcp(7000, TcpInfo.TIME_WAIT, 120)));
        p.runUntil(p.now + 100 * MS);
        assertThat(sentRecords(p.bOut)).noneMatch(r -> r instanceof SyncRecord.StateDelete);
        assertThat(upserts(p.bOut)).containsExactly(tcp(7000, TcpInfo.TIME_WAIT, 120));
        assertThat(p.b.isPeerState(tcpKey)).isFalse();
        assertThat(p.b.counters().takenOver()).isEqualTo(1);
        assertThat(p.a.isPeerState(tcpKey)).as("A now holds B's newer copy").isTrue();
    }

    @Test
    void peerDeleteOfAStateWeCarryIsIgnored() {
        EnginePair p = synced();
        p.toB(new SyncEvent.LocalUpsert(udp(8000, 30)));
        List<SyncAction> out = p.b.handle(new SyncEvent.FrameReceived(99,
                List.of(new SyncRecord.StateDelete(udp(8000, 30).key()))), p.now);
        assertThat(only(out, SyncAction.WriteKernel.class)).isEmpty();
        assertThat(p.b.state(udp(8000, 30).key())).isNotNull();
        assertThat(p.b.counters().peerDeletesIgnored()).isEqualTo(1);
    }

    @Test
    void dumpResyncQueuesNewAndChangedDeletesVanishedAndRefreshesExpiringCopies() {
        EnginePair p = synced();
        p.toA(new SyncEvent.LocalUpsert(udp(9000, 30)));
        p.toA(new SyncEvent.LocalUpsert(udp(9001, 30)));
        p.toA(new SyncEvent.LocalUpsert(tcp(9002, TcpInfo.ESTABLISHED, 400)));
        p.runUntil(p.now + 100 * MS);
        p.aOut.clear();
        // 25 s later the kernel refreshed 9000's timeout silently (traffic), 9001 died without an
        // event reaching us, 9002 is unchanged, 9003 is new.
        p.runUntil(p.now + 25 * S);
        p.aOut.clear();
        long dumpStarted = p.now;
        p.now += MS;
        // 9004 appears through an event while the dump is in flight: the dump cannot know it.
        p.toA(new SyncEvent.LocalUpsert(udp(9004, 30)));
        p.toA(new SyncEvent.LocalDump(List.of(udp(9000, 180), tcp(9002, TcpInfo.ESTABLISHED, 375), udp(9003, 30)), dumpStarted));
        p.runUntil(p.now + 100 * MS);
        assertThat(upserts(p.aOut)).containsExactlyInAnyOrder(udp(9000, 180), udp(9003, 30), udp(9004, 30));
        assertThat(sentRecords(p.aOut).stream().filter(r -> r instanceof SyncRecord.StateDelete))
                .containsExactly(new SyncRecord.StateDelete(udp(9001, 30).key()));
        assertThat(p.a.counters().refreshes()).isEqualTo(1);
    }
}
