package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;

/**
 * Where a virtual host's VIPs live. Failures are runtime exceptions naming the address and the
 * interface (rtnetlink reports them as errno).
 */
interface AddressOps {

    /** Prepares the VIPs' interface before the first VIP is added (virtual MAC mode: macvlan up). */
    void activate(VhKey key);

    /** After the last VIP was removed (virtual MAC mode: macvlan down, so it stops answering). */
    void deactivate(VhKey key);

    /** Adds the VIP (IPv6 without duplicate address detection); false if it was already there. */
    boolean add(OwnedVip vip);

    /** Removes the VIP; false if it was not there (or its interface is gone). */
    boolean delete(OwnedVip vip);
}
