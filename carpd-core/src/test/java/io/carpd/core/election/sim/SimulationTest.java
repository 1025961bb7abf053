package io.carpd.core.election.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs thousands of seeded scenarios through {@link Simulation}. Replay one, with a full trace:
 * {@code bin/mvn25 -pl carpd-core test -Dtest=SimulationTest -Dcarpd.sim.seed=N}.
 * {@code -Dcarpd.sim.count} and {@code -Dcarpd.sim.first} choose another range of seeds.
 */
class SimulationTest {

    static final String REPLAY = "bin/mvn25 -pl carpd-core test -Dtest=SimulationTest -Dcarpd.sim.seed=";

    @Test
    void seededScenariosKeepTheElectionInvariants() {
        String one = System.getProperty("carpd.sim.seed");
        if (one != null && !one.isBlank()) {
            Scenario sc = Scenario.generate(Long.parseLong(one.trim()));
            System.out.println(sc.describe());
            new Simulation(sc, true).run();
            return;
        }
        int count = Integer.getInteger("carpd.sim.count", 10_000);
        long first = Long.getLong("carpd.sim.first", 1L);
        List<String> failures = new ArrayList<>();
        long events = 0, transitions = 0, delivered = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count && failures.size() < 5; seed++) {
            Simulation sim = new Simulation(Scenario.generate(seed), false);
            try {
                sim.run();
            } catch (SimulationFailure f) {
                failures.add(f.getMessage() + "\nreplay: " + REPLAY + f.seed);
            }
            events += sim.events;
            transitions += sim.transitions;
            delivered += sim.delivered;
        }
        System.out.printf("simulation: %d scenarios, %d events, %d adverts delivered, %d transitions in %.1f s%n",
                count, events, delivered, transitions, (System.nanoTime() - started) / 1e9);
        assertThat(failures).as("broken invariants (first 5)").isEmpty();
    }
}
