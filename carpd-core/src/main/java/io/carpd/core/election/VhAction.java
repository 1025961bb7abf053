package io.carpd.core.election;

import io.carpd.core.wire.Advertisement;

/** Outputs of a {@link VirtualHost}, performed by the runtime in the order they are returned. */
public sealed interface VhAction {

    /** Send this advertisement once for every address family the VHID has addresses in. */
    record SendAdvert(Advertisement advert) implements VhAction {}

    /** Add the VIPs to the interface (before the first advert as MASTER). */
    record TakeAddresses() implements VhAction {}

    /** Remove the VIPs from the interface. */
    record ReleaseAddresses() implements VhAction {}

    /** Gratuitous ARP / unsolicited NA for the VIPs (repeats are the runtime's job). */
    record Announce() implements VhAction {}

    /** The VHID changed state; {@code reason} is for humans, e.g. "no advertisement for 3.39 s". */
    record Transition(CarpState from, CarpState to, String reason) implements VhAction {}

    /** Call back with {@link VhEvent.TimerExpired} at this monotonic time (ns); replaces any earlier deadline. */
    record ArmTimer(long atNanos) implements VhAction {}

    /** No deadline pending: cancel any armed timer. */
    record CancelTimer() implements VhAction {}
}
