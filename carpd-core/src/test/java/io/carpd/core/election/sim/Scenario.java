package io.carpd.core.election.sim;

import io.carpd.core.election.Demotion;
import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import io.carpd.core.wire.Family;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Everything one simulation run does, derived from its seed: the topology, the VHIDs, the network
 * quality and a chaos script, followed by a heal at {@code healAt} after which the invariants of a
 * healthy network must hold, and one demotion toggle of {@code changeNode} once it has settled.
 *
 * @param base        the monotonic clock at simulation start; some seeds start just before the long
 *                    wraps around, as {@code System.nanoTime()} may
 * @param startAt     when each node starts (ns since simulation start)
 * @param steadyDemoted a node kept in maintenance after the heal, or -1
 * @param stayCrashed nodes that are not restarted at the heal
 */
record Scenario(long seed, long base, int nodes, List<String> segments, List<SimVhid> vhids,
                long maxDelay, double dupRate, long[] startAt, List<Fault.Timed> chaos, long healAt,
                int steadyDemoted, boolean[] stayCrashed, int changeNode, long changeDelay) {

    static final long MS = 1_000_000L;
    static final long SEC = 1_000_000_000L;
    static final String GROUP = "uplink";

    static Scenario generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long base = r.nextInt(10) == 0 ? Long.MAX_VALUE - 20 * SEC : r.nextLong();
        int nodes = 2 + r.nextInt(3);
        int segCount = 1 + r.nextInt(3);
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < segCount; i++) segments.add("net" + i);

        List<SimVhid> vhids = new ArrayList<>();
        int m = 1 + r.nextInt(4);
        for (int i = 0; i < m; i++) {
            double p = r.nextDouble();
            int advbase = p < 0.1 ? 0 : p < 0.8 ? 1 : 2;
            // With advbase 0 master-down is deadRatio·advskew/256 and rule 3 is off, so a backup whose
            // master-down is shorter than the master's interval times out between two adverts, and a
            // demoted one then flaps (CARP itself behaves so). Sub-second profiles therefore need
            // advskews within a factor deadRatio (≥ 2) of each other; 50..80 keeps that plus D.
            int[] skews = advbase == 0 ? distinctSkews(r, nodes, 50, 80) : distinctSkews(r, nodes, 0, 200);
            double fam = r.nextDouble();
            vhids.add(new SimVhid(new VhKey(segments.get(r.nextInt(segCount)), i + 1), advbase, r.nextDouble() < 0.7,
                    2 + r.nextInt(3), r.nextBoolean() ? MasterDownFormula.CLASSIC : MasterDownFormula.OPENBSD_CURRENT,
                    fam < 0.75, fam >= 0.55, r.nextBoolean() ? Set.of(GROUP) : Set.of(), skews));
        }
        long[] delays = {0, MS, 5 * MS, 20 * MS};
        long maxDelay = delays[r.nextInt(delays.length)];
        double[] dups = {0, 0.05, 0.3};
        double dupRate = dups[r.nextInt(dups.length)];

        long[] startAt = new long[nodes];
        for (int n = 0; n < nodes; n++) startAt[n] = r.nextLong(SEC);

        long healAt = 5 * SEC + r.nextLong(25 * SEC);
        List<Fault.Timed> chaos = new ArrayList<>();
        int faults = r.nextInt(12);
        for (int i = 0; i < faults; i++) addFault(r, chaos, nodes, segments, vhids.size(), healAt);
        chaos.sort(Comparator.comparingLong(Fault.Timed::at));

        boolean[] stayCrashed = new boolean[nodes];
        for (int n = 0; n < nodes; n++) stayCrashed[n] = r.nextInt(4) == 0;
        int steadyDemoted = r.nextInt(3) == 0 ? r.nextInt(nodes) : -1;
        return new Scenario(seed, base, nodes, segments, vhids, maxDelay, dupRate, startAt, chaos, healAt,
                steadyDemoted, stayCrashed, r.nextInt(nodes), SEC + r.nextLong(2 * SEC));
    }

    /** Distinct configured advskews, so that the best node is always well defined (ties have their own test). */
    private static int[] distinctSkews(SplittableRandom r, int nodes, int min, int max) {
        int[] s = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            boolean unique;
            do {
                s[n] = min + r.nextInt(max - min + 1);
                unique = true;
                for (int k = 0; k < n; k++) unique &= s[k] != s[n];
            } while (!unique);
        }
        return s;
    }

    private static void addFault(SplittableRandom r, List<Fault.Timed> out, int nodes, List<String> segments, int vhidCount, long healAt) {
        long at = r.nextLong(healAt);
        long later = at + SEC / 2 + r.nextLong(8 * SEC);
        int node = r.nextInt(nodes);
        String seg = segments.get(r.nextInt(segments.size()));
        switch (r.nextInt(8)) {
            case 0 -> {
                double[] rates = {0, 0.05, 0.3, 0.7, 1.0};
                Fault loss = r.nextInt(3) == 0
                        ? new Fault.FamilyLoss(r.nextBoolean() ? Family.INET : Family.INET6, rates[r.nextInt(rates.length)])
                        : new Fault.SetLoss(rates[r.nextInt(rates.length)]);
                out.add(new Fault.Timed(at, loss));
            }
            case 1 -> {
                int[] side = new int[nodes];
                for (int n = 0; n < nodes; n++) side[n] = r.nextInt(2);
                out.add(new Fault.Timed(at, new Fault.Partition(seg, side)));
                if (later < healAt) out.add(new Fault.Timed(later, new Fault.Heal(seg)));
            }
            case 2 -> {
                out.add(new Fault.Timed(at, new Fault.Crash(node)));
                if (later < healAt) out.add(new Fault.Timed(later, new Fault.Restart(node)));
            }
            case 3 -> {
                out.add(new Fault.Timed(at, new Fault.Link(node, seg, false)));
                if (later < healAt) out.add(new Fault.Timed(later, new Fault.Link(node, seg, true)));
            }
            case 4 -> {
                String[] groups = {Demotion.CARP_GROUP, Demotion.CARP_GROUP, GROUP};
                String[] sources = {Demotion.MAINTENANCE_SOURCE, Demotion.SYNC_SOURCE, Demotion.OPERATOR_SOURCE};
                int[] values = {0, 1, 32, 240};
                out.add(new Fault.Timed(at, new Fault.Demote(node, groups[r.nextInt(groups.length)],
                        sources[r.nextInt(sources.length)], values[r.nextInt(values.length)])));
            }
            case 5 -> {
                out.add(new Fault.Timed(at, new Fault.Disable(node, true)));
                if (later < healAt) out.add(new Fault.Timed(later, new Fault.Disable(node, false)));
            }
            case 6 -> out.add(new Fault.Timed(at, new Fault.Reconfigure(node, r.nextInt(vhidCount), r.nextInt(201))));
            default -> {
                out.add(new Fault.Timed(at, new Fault.Stop(node)));
                if (later < healAt) out.add(new Fault.Timed(later, new Fault.Start(node)));
            }
        }
    }

    String describe() {
        StringBuilder s = new StringBuilder();
        s.append("seed ").append(seed).append(": ").append(nodes).append(" nodes, segments ").append(segments)
                .append(", delay <= ").append(maxDelay / MS).append(" ms, dup ").append(dupRate)
                .append(", heal at ").append(Simulation.secs(healAt)).append(" s, steady demoted ").append(steadyDemoted)
                .append(", change node ").append(changeNode).append('\n');
        for (SimVhid v : vhids) s.append("  ").append(v).append('\n');
        for (Fault.Timed t : chaos) s.append("  ").append(Simulation.secs(t.at())).append(" s ").append(Simulation.describe(t.fault())).append('\n');
        return s.toString();
    }
}
