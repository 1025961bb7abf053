package io.carpd.core.election;

import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;

/** Inputs to a {@link CarpNode}: the events of all its virtual hosts plus node-wide ones. */
public sealed interface NodeEvent {

    /** Start every virtual host (silent BACKUP, or INIT where the link is down). */
    record Start() implements NodeEvent {}

    /** A validated advertisement arrived on {@code iface}. */
    record AdvertReceived(String iface, Family family, Advertisement advert) implements NodeEvent {}

    /** The timer armed for {@code key} has expired. */
    record TimerExpired(VhKey key) implements NodeEvent {}

    /** The carrier of {@code iface} changed: its VHIDs go INIT/BACKUP and the node (de)demotes. */
    record LinkChanged(String iface, boolean up) implements NodeEvent {}

    /** Set one demotion source in one group (0 clears it), e.g. ("carp", "maintenance", 240). */
    record SetDemotion(String group, String source, int value) implements NodeEvent {}

    /** Operator disable (MASTERs bow out and release, then everything stays silent) or enable. */
    record SetDisabled(boolean disabled) implements NodeEvent {}

    /** Graceful stop: bow-out from every MASTER, release, INIT. */
    record Stop() implements NodeEvent {}
}
