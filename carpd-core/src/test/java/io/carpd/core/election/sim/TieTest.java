package io.carpd.core.election.sim;

import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.carpd.core.election.sim.Scenario.MS;
import static io.carpd.core.election.sim.Scenario.SEC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Equal advbase and advskew (spec §3.6): CARP has no address tie-break. A MASTER yields to an equal
 * advert and a BACKUP keeps waiting on one, so the node whose master-down fires first wins; two
 * simultaneous masters both step down and the race repeats until delay jitter separates them.
 */
class TieTest {

    private static Scenario tie(long seed, long[] startAt, long maxDelay, long settleFrom) {
        SimVhid v = new SimVhid(new VhKey("net0", 1), 1, seed % 2 == 0, 3, MasterDownFormula.CLASSIC,
                true, seed % 3 == 0, Set.of(), new int[]{100, 100});
        return new Scenario(seed, seed * 7919, 2, List.of("net0"), List.of(v), maxDelay, 0.05, startAt,
                List.of(), settleFrom, -1, new boolean[2], (int) (seed % 2), SEC);
    }

    @Test
    void equalPrioritiesFirstStarterBecomesMasterAndKeepsIt() {
        for (long seed = 1; seed <= 300; seed++) {
            // The second node starts 0.5..1.5 s later: the first times out first and the second,
            // hearing an equal advert, never takes over.
            long[] startAt = {0, SEC / 2 + (seed * 3_333_333L) % SEC};
            new Simulation(tie(seed, startAt, 5 * MS, 5 * SEC), false).run();
        }
    }

    @Test
    void equalPrioritiesStartedTogetherMostlySettleThroughJitter() {
        // Both time out together, both become MASTER, both yield to the equal advert; the race
        // repeats every master-down until delay jitter lets one node's advert arrive before the
        // other times out (about 2 chances in 3 to repeat per round with uniform jitter). So no
        // bound holds for every seed; the run asserts that nearly all settle within 60 s and that
        // every seed obeys the per-event invariants meanwhile.
        int unsettled = 0;
        int runs = 300;
        for (long seed = 1; seed <= runs; seed++) {
            try {
                new Simulation(tie(seed, new long[]{0, 0}, 5 * MS, 60 * SEC), false).run();
            } catch (SimulationFailure f) {
                assertThat(f.getMessage()).as("only the settle check may fail for ties").contains("0 MASTERs in a healthy network");
                unsettled++;
            }
        }
        System.out.printf("ties started together: %d of %d seeds still racing after 60 s%n", unsettled, runs);
        assertThat(unsettled).isLessThanOrEqualTo(runs / 20);
    }
}
