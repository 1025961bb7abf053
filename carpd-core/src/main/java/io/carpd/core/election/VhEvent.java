package io.carpd.core.election;

import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;

/** Inputs to a {@link VirtualHost}. Time is never part of an event: it is passed beside it. */
public sealed interface VhEvent {

    /** The daemon starts this VHID: it becomes BACKUP (silent) if its link is up, else stays INIT. */
    record Start() implements VhEvent {}

    /** An advertisement that passed validation (checksum, VHID, version, HMAC, loop check). */
    record AdvertReceived(Family family, Advertisement advert) implements VhEvent {}

    /** The deadline last returned by {@link VhAction.ArmTimer} (or any earlier one) has passed. */
    record TimerExpired() implements VhEvent {}

    /** The parent interface's carrier changed. */
    record LinkChanged(boolean up) implements VhEvent {}

    /** The node's effective demotion for this VHID's groups changed (0..255). */
    record DemotionChanged(int demotion) implements VhEvent {}

    /**
     * Operator disabled (true) or re-enabled (false) this node's participation: a MASTER bows out
     * (like OpenBSD's administrative down) and releases; the VHID stays silent in INIT until enabled.
     */
    record Disabled(boolean disabled) implements VhEvent {}

    /** Graceful stop: a MASTER sends the bow-out advert and releases its addresses; the VHID goes INIT. */
    record Stop() implements VhEvent {}
}
