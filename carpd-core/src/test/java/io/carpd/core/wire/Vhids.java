package io.carpd.core.wire;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A VhidTable for tests: a map of auth contexts plus the counters "we" sent. */
final class Vhids implements VhidTable {

    private final Map<Integer, CarpAuth> auths = new HashMap<>();
    private final Set<Long> ownCounters = new HashSet<>();

    Vhids with(CarpAuth auth) {
        auths.put(auth.vhid(), auth);
        return this;
    }

    Vhids sent(long counter) {
        ownCounters.add(counter);
        return this;
    }

    @Override
    public CarpAuth auth(int vhid) {
        return auths.get(vhid);
    }

    @Override
    public boolean isOwnCounter(int vhid, long counter) {
        return auths.containsKey(vhid) && ownCounters.contains(counter);
    }
}
