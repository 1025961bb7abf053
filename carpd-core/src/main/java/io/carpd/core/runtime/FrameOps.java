package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import io.carpd.core.wire.Advertisement;

/** Frames a virtual host sends on its interface: adverts and VIP announcements. */
interface FrameOps {

    /** Sends {@code advert} once per address family the VHID has, to the group or to each unicast peer. */
    void sendAdvert(VhKey key, Advertisement advert);

    /** One round of gratuitous ARP / unsolicited NA for every VIP of the VHID. */
    void announce(VhKey key);
}
