package io.carpd.core.runtime;

import io.carpd.core.election.VirtualHost;
import io.carpd.core.wire.CarpAuth;
import io.carpd.core.wire.VhidTable;

/** The decoder's view of one interface's virtual hosts, indexed by VHID: no allocation per packet. */
final class InterfaceVhids implements VhidTable {

    private final CarpAuth[] auth = new CarpAuth[256];
    private final VirtualHost[] hosts = new VirtualHost[256];

    void put(int vhid, CarpAuth carpAuth, VirtualHost host) {
        auth[vhid] = carpAuth;
        hosts[vhid] = host;
    }

    void remove(int vhid) {
        auth[vhid] = null;
        hosts[vhid] = null;
    }

    boolean isEmpty() {
        for (CarpAuth a : auth) {
            if (a != null) return false;
        }
        return true;
    }

    @Override
    public CarpAuth auth(int vhid) {
        return auth[vhid & 0xff];
    }

    @Override
    public boolean isOwnCounter(int vhid, long counter) {
        VirtualHost host = hosts[vhid & 0xff];
        return host != null && host.sentCounter(counter);
    }
}
