package io.carpd.pfsync.splitbrain;

/** What the detector reports: a split brain confirmed, or one over. */
public sealed interface SplitBrainChange {
    SplitBrain splitBrain();

    /** Both nodes have been MASTER for longer than one advert interval. */
    record Started(SplitBrain splitBrain) implements SplitBrainChange {}

    /** A confirmed split brain ended after {@code durationNanos}. */
    record Ended(SplitBrain splitBrain, long durationNanos) implements SplitBrainChange {}
}
