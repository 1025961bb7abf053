package io.carpd.core.election.sim;

import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import io.carpd.core.wire.Family;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One VHID of a scenario: shared parameters plus each node's configured advskew. */
record SimVhid(VhKey key, int advbase, boolean preempt, int deadRatio, MasterDownFormula formula,
               boolean inet, boolean inet6, Set<String> groups, int[] skews) {

    VirtualHostConfig cfg(int node) {
        return new VirtualHostConfig(key.vhid(), advbase, skews[node], preempt, deadRatio, formula, inet, inet6, groups);
    }

    List<Family> families() {
        List<Family> f = new ArrayList<>(2);
        if (inet) f.add(Family.INET);
        if (inet6) f.add(Family.INET6);
        return f;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(key + " advbase " + advbase + " skews");
        for (int k : skews) s.append(' ').append(k);
        return s.append(preempt ? " preempt" : " no-preempt").append(" dead ").append(deadRatio).append(' ').append(formula)
                .append(inet ? " v4" : "").append(inet6 ? " v6" : "").append(" groups ").append(groups).toString();
    }
}
