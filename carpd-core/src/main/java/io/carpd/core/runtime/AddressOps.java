package io.carpd.core.runtime;

import java.io.IOException;

/** Adding and removing one VIP on its interface (rtnetlink in the daemon). */
interface AddressOps {

    /** Adds the VIP (IPv6 without duplicate address detection); false if it was already there. */
    boolean add(OwnedVip vip) throws IOException;

    /** Removes the VIP; false if it was not there (or its interface is gone). */
    boolean delete(OwnedVip vip) throws IOException;
}
