package io.carpd.core.election;

/** Outputs of a {@link CarpNode}, performed by the runtime in order. */
public sealed interface NodeAction {

    /** An action of one virtual host. */
    record Host(VhKey key, VhAction action) implements NodeAction {}

    /** The effective demotion of a group changed; {@code total} is the capped sum of its sources. */
    record DemotionChanged(String group, int total, String reason) implements NodeAction {}
}
