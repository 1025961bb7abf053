package io.carpd.core.election.sim;

import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.carpd.core.election.sim.Scenario.MS;
import static io.carpd.core.election.sim.Scenario.SEC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A firewall pair with VHIDs on three segments: when node 0 (preferred everywhere) loses one link,
 * every VIP moves to node 1 — the dead link's VHID by master-down, the others at once through the
 * demoted adverts; when the link returns, preempt brings them all back.
 */
class GroupFailoverTest {

    static final List<String> SEGMENTS = List.of("wan", "lan", "dmz");

    private static Scenario pair(long seed, boolean preempt, List<Fault.Timed> script) {
        List<SimVhid> vhids = new ArrayList<>();
        for (int i = 0; i < SEGMENTS.size(); i++) {
            vhids.add(new SimVhid(new VhKey(SEGMENTS.get(i), i + 1), 1, preempt, 3, MasterDownFormula.CLASSIC,
                    true, i == 2, Set.of(), new int[]{0, 100}));
        }
        return new Scenario(seed, seed * 31, 2, SEGMENTS, vhids, 5 * MS, 0.05, new long[]{0, SEC},
                script, 40 * SEC, -1, new boolean[2], 1, SEC);
    }

    private static List<Integer> mastersOf(Simulation sim, int node) {
        List<Integer> vhids = new ArrayList<>();
        for (int i = 0; i < SEGMENTS.size(); i++) {
            if (sim.state(node, new VhKey(SEGMENTS.get(i), i + 1)) == CarpState.MASTER) vhids.add(i + 1);
        }
        return vhids;
    }

    @Test
    void oneLinkDownMovesEveryVipAndLinkUpBringsThemBack() {
        for (long seed = 1; seed <= 50; seed++) {
            Simulation sim = new Simulation(pair(seed, true, List.of(
                    new Fault.Timed(10 * SEC, new Fault.Link(0, "wan", false)),
                    new Fault.Timed(20 * SEC, new Fault.Link(0, "wan", true)))), false);
            List<List<Integer>> seen = new ArrayList<>();
            sim.probe(9 * SEC, () -> seen.add(mastersOf(sim, 0)));
            // lan and dmz move within one demoted advert + D; wan needs node 1's master-down (3 s + 100/256).
            sim.probe(10 * SEC + 20 * MS, () -> seen.add(mastersOf(sim, 1)));
            sim.probe(10 * SEC + 3500 * MS, () -> seen.add(mastersOf(sim, 1)));
            // After link up, node 0 listens silently, hears node 1's worse adverts and preempts.
            sim.probe(20 * SEC + 1500 * MS, () -> seen.add(mastersOf(sim, 0)));
            sim.run();
            assertThat(seen).as("seed " + seed).containsExactly(
                    List.of(1, 2, 3), List.of(2, 3), List.of(1, 2, 3), List.of(1, 2, 3));
        }
    }

    @Test
    void withoutPreemptTheDemotedNodeStillLosesEverythingButDoesNotTakeItBack() {
        for (long seed = 1; seed <= 50; seed++) {
            Simulation sim = new Simulation(pair(seed, false, List.of(
                    new Fault.Timed(10 * SEC, new Fault.Link(0, "wan", false)),
                    new Fault.Timed(20 * SEC, new Fault.Link(0, "wan", true)))), false);
            List<List<Integer>> seen = new ArrayList<>();
            sim.probe(10 * SEC + 3500 * MS, () -> seen.add(mastersOf(sim, 1)));
            sim.probe(30 * SEC, () -> seen.add(mastersOf(sim, 1)));
            sim.run();
            assertThat(seen).as("seed " + seed).containsExactly(List.of(1, 2, 3), List.of(1, 2, 3));
        }
    }
}
