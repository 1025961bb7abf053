package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpd.pfsync.conntrack.Tuple;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code carpd lab sync-bench}: flow numbering, lag statistics, the keep-up verdict, heap option. */
class SyncBenchPartsTest {

    private static Tuple udp(String src, String dst, int sport, int dport) throws Exception {
        return Tuple.ports(InetAddress.getByName(src), InetAddress.getByName(dst), Tuple.UDP, sport, dport);
    }

    private static Tuple flow(BenchFlows flows, int i) throws Exception {
        return udp(Topology.clientAddress(), Topology.serverAddress(), flows.sourcePort(i), BenchFlows.destinationPort(i));
    }

    @Test
    void everyFlowOfAStepIsItsOwnTupleAndMapsBackToItsNumber() throws Exception {
        BenchFlows flows = BenchFlows.forStep(3, 120_000);
        Set<Tuple> tuples = new HashSet<>();
        for (int i = 0; i < flows.count(); i += 7) {
            Tuple t = flow(flows, i);
            assertThat(flows.indexOf(t)).isEqualTo(i);
            tuples.add(t);
        }
        assertThat(tuples).hasSize((flows.count() + 6) / 7);
        assertThat(flows.sources()).isEqualTo(3);
    }

    @Test
    void otherStepsOtherHostsAndOtherProtocolsAreNotThisStepsFlows() throws Exception {
        BenchFlows step1 = BenchFlows.forStep(1, 10_000);
        BenchFlows step2 = BenchFlows.forStep(2, 10_000);
        assertThat(step2.indexOf(flow(step1, 5))).isEqualTo(-1);
        assertThat(step1.indexOf(flow(step1, 10_000 - 1))).isEqualTo(10_000 - 1);
        // same ports, but beyond the step's count
        assertThat(step1.indexOf(udp(Topology.clientAddress(), Topology.serverAddress(), step1.sourceBase(),
                BenchFlows.DST_BASE + 10_000))).isEqualTo(-1);
        assertThat(step1.indexOf(udp("192.0.2.11", Topology.serverAddress(), step1.sourceBase(), BenchFlows.DST_BASE))).isEqualTo(-1);
        Tuple tcp = Tuple.ports(InetAddress.getByName(Topology.clientAddress()), InetAddress.getByName(Topology.serverAddress()),
                Tuple.TCP, step1.sourceBase(), BenchFlows.DST_BASE);
        assertThat(step1.indexOf(tcp)).isEqualTo(-1);
        assertThat(BenchFlows.isBenchTraffic(flow(step2, 0))).isTrue();
        assertThat(BenchFlows.isBenchTraffic(tcp)).isFalse();
    }

    @Test
    void aStepNeverHoldsMoreFlowsThanItsSourcePortsCarry() {
        assertThatThrownBy(() -> BenchFlows.forStep(0, BenchFlows.MAX_FLOWS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchFlows.forStep(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SyncStep step(int seen, int arrived, long benchOverruns, long... lagsMillis) {
        long[] lags = new long[lagsMillis.length];
        for (int i = 0; i < lags.length; i++) {
            lags[i] = lagsMillis[i] * 1_000_000;
        }
        return new SyncStep(1000, 1.0, seen, seen, arrived, 0, 0, SyncStep.sorted(lags), benchOverruns, 0.5, 0, 0.1, 0.1, 0, 0);
    }

    @Test
    void lagQuantilesAreNearestRankOverTheArrivedFlows() {
        long[] lags = new long[100];
        for (int i = 0; i < 100; i++) {
            lags[i] = 100 - i; // 100 .. 1 ms, unsorted
        }
        SyncStep s = step(100, 100, 0, lags);
        assertThat(s.lagMillis(0.5)).isEqualTo(50.0);
        assertThat(s.lagMillis(0.99)).isEqualTo(99.0);
        assertThat(s.lagMillis(1.0)).isEqualTo(100.0);
        assertThat(step(0, 0, 0).lagMillis(0.99)).isNaN();
    }

    @Test
    void keepingUpNeedsEveryFlowInTheBackupAndP99WithinTheThreshold() {
        assertThat(step(3, 3, 0, 10, 20, 900).keptUp(1000)).isTrue();
        assertThat(step(3, 3, 0, 10, 20, 1200).keptUp(1000)).as("p99 over the threshold").isFalse();
        assertThat(step(4, 3, 0, 10, 20, 30).keptUp(1000)).as("a flow missing in fw2").isFalse();
        assertThat(step(3, 3, 1, 10, 20, 30).keptUp(1000)).as("the bench lost events itself").isFalse();
        assertThat(step(0, 0, 0).keptUp(1000)).as("nothing measured").isFalse();
    }

    @Test
    void cpuPerStateDividesByTheArrivedFlows() {
        SyncStep s = new SyncStep(1000, 1.0, 1000, 1000, 500, 0, 0, new long[500], 0, 0.5, 0, 0.25, 0.05, 0, 0);
        assertThat(s.cpuMicrosPerState(true)).isEqualTo(500.0);
        assertThat(s.cpuMicrosPerState(false)).isEqualTo(100.0);
    }

    @Test
    void aLargerHeapReplacesTheLabsDefaultOnly() {
        CarpdLauncher l = CarpdLauncher.current().withMaxHeap("256m");
        assertThat(l.command(java.util.List.of("run"))).contains("-Xmx256m").doesNotContain("-Xmx64m")
                .contains("-XX:+UseSerialGC").endsWith("io.carpd.cli.Main", "run");
        assertThatThrownBy(() -> CarpdLauncher.current().withMaxHeap("lots")).isInstanceOf(IllegalArgumentException.class);
    }
}
