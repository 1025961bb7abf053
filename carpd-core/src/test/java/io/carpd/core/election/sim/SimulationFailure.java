package io.carpd.core.election.sim;

/** A broken invariant, carrying the seed that replays it. */
final class SimulationFailure extends AssertionError {
    final long seed;

    SimulationFailure(long seed, String message) {
        super(message);
        this.seed = seed;
    }
}
