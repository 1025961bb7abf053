package io.carpd.core.election.sim;

import io.carpd.core.election.CarpNode;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.CarpTimers;
import io.carpd.core.election.Demotion;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.NodeEvent;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHost;
import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs one {@link Scenario}: real {@link CarpNode}s, a simulated network and simulated time.
 * {@link #run()} throws {@link SimulationFailure} on the first broken invariant.
 *
 * <p>Invariants checked after every event (see {@code check*} methods):
 * consistency of each node's actions (transitions chain, VIPs held iff MASTER, a deadline pending in
 * every non-INIT state, no deadline in the past, timer action last); per-transition rules (a MASTER
 * yields only to an advert at least as good; a BACKUP takes over only from a worse, demoted,
 * timing-out or bowing-out master, or when a family was really silent for master-down); liveness
 * (a BACKUP never outlives its master-down, a MASTER never skips an advert); and after the heal:
 * dual masters that existed at the heal end within one interval + D, exactly one MASTER per VHID
 * from master-down + interval + D on (interval: the longest any node may advertise, advskew 240),
 * no role change while nothing changes, with preempt the best node (lowest demote, then shortest
 * interval) is MASTER, and a demoted node is MASTER of nothing. After the demotion change the
 * roles may move for interval + 3D (demoted advert, takeovers, their adverts), then the same holds.
 *
 * <p>The network delivers each sender→receiver path in order (see {@link #inOrder}); frames of
 * different senders interleave freely within the delay bound D.
 */
final class Simulation {

    private final Scenario sc;
    private final SplittableRandom rng;
    private final boolean verbose;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final SimNode[] nodes;
    private long seq;
    private long now;
    private long timerGeneration;
    private double loss;
    private final double[] familyLoss = new double[Family.values().length];
    private final Map<String, int[]> partitions = new HashMap<>();
    /** Delivery time of the last frame scheduled on each sender→receiver path (FIFO per path). */
    private final Map<String, Long> pathTail = new HashMap<>();

    // Phase boundaries (ns since start).
    private final long settleAt;
    private final long changeAt;
    private final long resettleAt;
    private final long endAt;
    private boolean healed;
    private boolean changed;
    private int demotedAfterHeal = -1;

    // Statistics.
    long events;
    long transitions;
    long delivered;

    private Cause cause = Cause.SCRIPT;

    /** Why a node is being called: its transitions are judged against it. */
    private record Cause(Kind kind, Advertisement advert, Family family, int myDemote, int myTicks) {
        enum Kind { SCRIPT, ADVERT, TIMER }
        static final Cause SCRIPT = new Cause(Kind.SCRIPT, null, null, 0, 0);
        static final Cause TIMER = new Cause(Kind.TIMER, null, null, 0, 0);
    }

    private sealed interface Payload {}
    private record Deliver(int to, int from, String iface, Family family, Advertisement advert) implements Payload {}
    private record Fire(int node, VhKey key, long generation) implements Payload {}
    private record Script(Fault fault) implements Payload {}
    private record Heal() implements Payload {}
    private record HealCheck(VhKey key, Set<Integer> dualMasters) implements Payload {}
    private record Change() implements Payload {}
    private record Probe(Runnable check) implements Payload {}

    private record Event(long at, long seq, Payload payload) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final class SimNode {
        final int id;
        CarpNode carp;
        boolean started;
        boolean disabled;
        final Set<String> downLinks = new HashSet<>();
        final Set<String> demotions = new LinkedHashSet<>();
        final Map<VhKey, Long> timers = new HashMap<>();
        final Set<VhKey> owned = new HashSet<>();
        final Map<VhKey, CarpState> states = new HashMap<>();
        final Map<VhKey, long[]> lastHeard = new HashMap<>();
        final Map<VhKey, Long> lastSent = new HashMap<>();
        /** VHIDs reloaded with another advskew, and when (a shorter master-down may fire "now"). */
        final Map<VhKey, Long> reconfigured = new HashMap<>();

        SimNode(int id) {
            this.id = id;
        }

        boolean alive() {
            return carp != null;
        }
    }

    Simulation(Scenario sc, boolean verbose) {
        this.sc = sc;
        this.verbose = verbose;
        this.rng = new SplittableRandom(sc.seed() ^ 0x5DEECE66DL);
        this.nodes = new SimNode[sc.nodes()];
        for (int n = 0; n < nodes.length; n++) nodes[n] = new SimNode(n);
        long mdMax = 0;
        long intervalMax = 0;
        for (SimVhid v : sc.vhids()) {
            for (int n = 0; n < sc.nodes(); n++) {
                mdMax = Math.max(mdMax, CarpTimers.toNanos(CarpTimers.masterDownTicks(v.cfg(n))));
                intervalMax = Math.max(intervalMax, CarpTimers.toNanos(CarpTimers.advertIntervalTicks(v.advbase(), Math.max(v.skews()[n], 240))));
            }
        }
        long d = sc.maxDelay();
        settleAt = sc.healAt() + mdMax + intervalMax + d;
        changeAt = settleAt + sc.changeDelay();
        resettleAt = changeAt + intervalMax + 3 * d;
        endAt = resettleAt + 2 * intervalMax + Scenario.SEC;
    }

    // ---- driver --------------------------------------------------------------------------------

    void run() {
        for (int n = 0; n < nodes.length; n++) schedule(sc.startAt()[n], new Script(new Fault.Restart(n)));
        for (Fault.Timed t : sc.chaos()) schedule(t.at(), new Script(t.fault()));
        schedule(sc.healAt(), new Heal());
        schedule(changeAt, new Change());
        schedule(endAt, new Script(new Fault.SetLoss(0)));
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            if (e.at() > endAt) break;
            now = e.at();
            events++;
            dispatch(e.payload());
            checkLiveness();
            checkHealthyPhase();
        }
        checkBestMasters("at the end");
    }

    /** Runs {@code check} at simulated time {@code at} (ns since start), e.g. to assert on {@link #state}. */
    void probe(long at, Runnable check) {
        schedule(at, new Probe(check));
    }

    /** The state of {@code key} on {@code node}; INIT while the node is crashed. */
    CarpState state(int node, VhKey key) {
        return nodes[node].alive() ? nodes[node].carp.state(key) : CarpState.INIT;
    }

    private void schedule(long at, Payload p) {
        queue.add(new Event(at, seq++, p));
    }

    private long clock() {
        return sc.base() + now;
    }

    private void dispatch(Payload p) {
        switch (p) {
            case Deliver d -> deliver(d);
            case Fire f -> fire(f);
            case Script s -> script(s.fault());
            case Heal h -> heal();
            case HealCheck c -> checkDualMastersEnded(c);
            case Change c -> demotionChange();
            case Probe probe -> probe.check().run();
        }
    }

    private void deliver(Deliver d) {
        SimNode n = nodes[d.to()];
        if (!n.alive() || n.downLinks.contains(d.iface())) return;
        VhKey key = new VhKey(d.iface(), d.advert().vhid());
        VirtualHost h = n.carp.hosts().get(key);
        delivered++;
        if (verbose) log("deliver " + d.family() + " " + key + " " + d.from() + "->" + d.to() + " " + describe(d.advert()));
        cause = new Cause(Cause.Kind.ADVERT, d.advert(), d.family(), h.demotion(), myTicks(h));
        CarpState before = h.state();
        call(n, new NodeEvent.AdvertReceived(d.iface(), d.family(), d.advert()));
        if (before == CarpState.BACKUP && h.state() == CarpState.BACKUP) {
            n.lastHeard.get(key)[d.family().ordinal()] = now;
        }
    }

    private void fire(Fire f) {
        SimNode n = nodes[f.node()];
        if (!n.alive() || !Long.valueOf(f.generation()).equals(n.timers.get(f.key()))) return;
        n.timers.remove(f.key());
        cause = Cause.TIMER;
        call(n, new NodeEvent.TimerExpired(f.key()));
    }

    private void script(Fault fault) {
        log(describe(fault));
        cause = Cause.SCRIPT;
        switch (fault) {
            case Fault.SetLoss l -> loss = l.rate();
            case Fault.FamilyLoss l -> familyLoss[l.family().ordinal()] = l.rate();
            case Fault.Partition p -> partitions.put(p.segment(), p.sideOfNode());
            case Fault.Heal h -> partitions.remove(h.segment());
            case Fault.Crash c -> crash(nodes[c.node()]);
            case Fault.Restart r -> restart(nodes[r.node()]);
            case Fault.Link l -> link(nodes[l.node()], l.segment(), l.up());
            case Fault.Demote d -> demote(nodes[d.node()], d.group(), d.source(), d.value());
            case Fault.Disable d -> {
                SimNode n = nodes[d.node()];
                if (n.alive()) {
                    n.disabled = d.disabled();
                    call(n, new NodeEvent.SetDisabled(d.disabled()));
                }
            }
            case Fault.Stop s -> {
                SimNode n = nodes[s.node()];
                if (n.alive() && n.started) {
                    n.started = false;
                    call(n, new NodeEvent.Stop());
                }
            }
            case Fault.Reconfigure c -> {
                SimNode n = nodes[c.node()];
                if (n.alive()) {
                    SimVhid v = sc.vhids().get(c.vhidIndex());
                    var old = v.cfg(n.id);
                    var cfg = new io.carpd.core.election.VirtualHostConfig(old.vhid(), old.advbase(), c.advskew(), old.preempt(),
                            old.deadRatio(), old.masterDown(), old.hasInet(), old.hasInet6(), old.groups());
                    reconfigure(n, v, cfg);
                }
            }
            case Fault.Start s -> {
                SimNode n = nodes[s.node()];
                if (n.alive() && !n.started) {
                    n.started = true;
                    call(n, new NodeEvent.Start());
                }
            }
        }
    }

    private void reconfigure(SimNode n, SimVhid v, io.carpd.core.election.VirtualHostConfig cfg) {
        List<NodeAction> actions;
        try {
            actions = n.carp.updateHost(new CarpNode.VhostSpec(v.key(), cfg), clock());
        } catch (RuntimeException ex) {
            throw fail("node " + n.id + " threw on reload of " + v.key() + ": " + ex);
        }
        n.reconfigured.put(v.key(), now);
        perform(n, actions);
    }

    private void crash(SimNode n) {
        if (!n.alive()) return;
        // A dead host holds nothing: its VIPs and timers die with it.
        n.carp = null;
        n.started = false;
        n.disabled = false;
        n.demotions.clear();
        n.timers.clear();
        n.owned.clear();
        n.states.clear();
        n.lastHeard.clear();
        n.lastSent.clear();
        n.reconfigured.clear();
    }

    private void restart(SimNode n) {
        if (n.alive()) return;
        List<CarpNode.VhostSpec> specs = new ArrayList<>();
        for (SimVhid v : sc.vhids()) {
            specs.add(new CarpNode.VhostSpec(v.key(), v.cfg(n.id)));
            n.states.put(v.key(), CarpState.INIT);
            n.lastHeard.put(v.key(), new long[2]);
        }
        n.carp = new CarpNode(specs, rng.nextLong());
        for (String seg : n.downLinks) call(n, new NodeEvent.LinkChanged(seg, false));
        n.started = true;
        call(n, new NodeEvent.Start());
    }

    private void link(SimNode n, String seg, boolean up) {
        boolean changed = up ? n.downLinks.remove(seg) : n.downLinks.add(seg);
        if (changed && n.alive()) call(n, new NodeEvent.LinkChanged(seg, up));
    }

    private void demote(SimNode n, String group, String source, int value) {
        if (!n.alive()) return;
        if (value == 0) n.demotions.remove(group + "/" + source);
        else n.demotions.add(group + "/" + source);
        call(n, new NodeEvent.SetDemotion(group, source, value));
    }

    /** The network becomes healthy: no loss, no partition, links up, nodes running and undemoted. */
    private void heal() {
        log("HEAL");
        loss = 0;
        java.util.Arrays.fill(familyLoss, 0);
        partitions.clear();
        for (SimNode n : nodes) {
            for (String seg : List.copyOf(n.downLinks)) link(n, seg, true);
            if (!n.alive()) {
                if (!sc.stayCrashed()[n.id]) restart(n);
                continue;
            }
            if (n.disabled) script(new Fault.Disable(n.id, false));
            if (!n.started) script(new Fault.Start(n.id));
            for (VhKey key : List.copyOf(n.reconfigured.keySet())) {
                SimVhid v = vhid(key);
                reconfigure(n, v, v.cfg(n.id));
            }
            for (String gs : List.copyOf(n.demotions)) {
                String[] parts = gs.split("/", 2);
                demote(n, parts[0], parts[1], 0);
            }
        }
        if (sc.steadyDemoted() >= 0 && nodes[sc.steadyDemoted()].alive()) {
            demote(nodes[sc.steadyDemoted()], Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE);
            demotedAfterHeal = sc.steadyDemoted();
        }
        healed = true;
        for (SimVhid v : sc.vhids()) {
            Set<Integer> masters = new HashSet<>();
            long interval = 0;
            for (SimNode n : nodes) {
                if (n.alive() && n.carp.state(v.key()) == CarpState.MASTER) {
                    masters.add(n.id);
                    interval = Math.max(interval, n.carp.host(v.key()).advertIntervalNanos());
                }
            }
            if (masters.size() > 1) schedule(now + interval + sc.maxDelay(), new HealCheck(v.key(), masters));
        }
    }

    /** Once settled: undemote the maintenance node, or put one node into maintenance. */
    private void demotionChange() {
        checkBestMasters("before the demotion change");
        changed = true;
        SimNode n = nodes[demotedAfterHeal >= 0 ? demotedAfterHeal : sc.changeNode()];
        if (!n.alive()) {
            demotedAfterHeal = -1;
            return;
        }
        if (demotedAfterHeal >= 0) {
            demote(n, Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE, 0);
            demotedAfterHeal = -1;
        } else {
            demote(n, Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE);
            demotedAfterHeal = n.id;
        }
    }

    // ---- calling a node and performing its actions ---------------------------------------------

    private void call(SimNode n, NodeEvent e) {
        List<NodeAction> actions;
        try {
            actions = n.carp.handle(e, clock());
        } catch (RuntimeException ex) {
            throw fail("node " + n.id + " threw on " + e + ": " + ex);
        }
        perform(n, actions);
    }

    private void perform(SimNode n, List<NodeAction> actions) {
        Map<VhKey, VhAction> lastOf = new HashMap<>();
        Set<VhKey> needsTimer = new HashSet<>();
        for (NodeAction a : actions) {
            if (!(a instanceof NodeAction.Host(VhKey key, VhAction action))) continue;
            lastOf.put(key, action);
            if (action instanceof VhAction.Transition || action instanceof VhAction.SendAdvert) needsTimer.add(key);
            perform(n, key, action);
        }
        for (VhKey key : needsTimer) {
            VhAction last = lastOf.get(key);
            if (!(last instanceof VhAction.ArmTimer || last instanceof VhAction.CancelTimer)) {
                throw fail("node " + n.id + " " + key + ": actions changing timers did not end with ArmTimer/CancelTimer: " + actions);
            }
        }
        for (VhKey key : lastOf.keySet()) checkConsistent(n, key);
        cause = Cause.SCRIPT;
    }

    private void perform(SimNode n, VhKey key, VhAction action) {
        switch (action) {
            case VhAction.Transition t -> transition(n, key, t);
            case VhAction.TakeAddresses t -> {
                if (!n.owned.add(key)) throw fail("node " + n.id + " " + key + " took addresses it already holds");
            }
            case VhAction.ReleaseAddresses r -> {
                if (!n.owned.remove(key)) throw fail("node " + n.id + " " + key + " released addresses it does not hold");
            }
            case VhAction.Announce a -> {
                if (!n.owned.contains(key)) throw fail("node " + n.id + " " + key + " announced addresses it does not hold");
            }
            case VhAction.SendAdvert s -> send(n, key, s.advert());
            case VhAction.ArmTimer t -> {
                long at = t.atNanos() - sc.base();
                if (at < now) throw fail("node " + n.id + " " + key + " armed a timer in the past");
                long gen = ++timerGeneration;
                n.timers.put(key, gen);
                schedule(at, new Fire(n.id, key, gen));
            }
            case VhAction.CancelTimer c -> n.timers.remove(key);
        }
    }

    private void send(SimNode n, VhKey key, Advertisement ad) {
        if (!ad.isBowOut()) n.lastSent.put(key, now);
        if (n.downLinks.contains(key.iface())) throw fail("node " + n.id + " " + key + " sent an advert on a dead link");
        SimVhid v = vhid(key);
        int[] sides = partitions.get(key.iface());
        for (Family f : v.families()) {
            for (SimNode r : nodes) {
                if (r == n || (sides != null && sides[r.id] != sides[n.id])) continue;
                if (rng.nextDouble() < loss || rng.nextDouble() < familyLoss[f.ordinal()]) continue;
                Deliver d = new Deliver(r.id, n.id, key.iface(), f, ad);
                schedule(inOrder(d), d);
                if (rng.nextDouble() < sc.dupRate()) schedule(inOrder(d), d);
            }
        }
    }

    /**
     * A random delay up to D, but never overtaking an earlier frame on the same path: one L2 segment
     * delivers a sender's frames in order. Reordering one sender's adverts is not survivable by any
     * CARP implementation: a stale advert arriving after a newer one makes a fresh master yield to
     * the node it just replaced, and with no sequence number all peers honour (OpenBSD repeats one
     * counter value) nothing can tell it is stale; the VHID then recovers only by master-down.
     */
    private long inOrder(Deliver d) {
        String path = d.from() + ">" + d.to() + "@" + d.iface();
        long at = now + (sc.maxDelay() == 0 ? 0 : rng.nextLong(sc.maxDelay() + 1));
        at = Math.max(at, pathTail.getOrDefault(path, 0L));
        pathTail.put(path, at);
        return at;
    }

    // ---- invariants ----------------------------------------------------------------------------

    private void transition(SimNode n, VhKey key, VhAction.Transition t) {
        transitions++;
        log("node " + n.id + " " + key + ": " + t.from() + " -> " + t.to() + " (" + t.reason() + ")");
        CarpState tracked = n.states.get(key);
        if (t.from() != tracked) throw fail("node " + n.id + " " + key + " transition from " + t.from() + " but was " + tracked);
        n.states.put(key, t.to());
        VirtualHost h = n.carp.host(key);
        switch (t.to()) {
            case BACKUP -> {
                if (t.from() == CarpState.MASTER) checkYield(n, key);
                else if (cause.kind() != Cause.Kind.SCRIPT) throw fail("node " + n.id + " " + key + " left INIT on " + cause.kind());
                long[] heard = n.lastHeard.get(key);
                heard[0] = now;
                heard[1] = now;
            }
            case MASTER -> checkTakeover(n, key, h);
            case INIT -> {
                if (cause.kind() != Cause.Kind.SCRIPT) throw fail("node " + n.id + " " + key + " went INIT on " + cause.kind());
            }
        }
        if (healed && !inChangeWindow() && now >= settleAt) {
            throw fail("role change in a healthy network with no demotion change: node " + n.id + " " + key + " " + t);
        }
    }

    /** A MASTER yields only on an advert at least as good as its own (demote first, then interval). */
    private void checkYield(SimNode n, VhKey key) {
        if (cause.kind() != Cause.Kind.ADVERT) throw fail("node " + n.id + " " + key + " left MASTER for BACKUP on " + cause.kind());
        Advertisement ad = cause.advert();
        if (compare(ad.demote(), ad.intervalTicks(), cause.myDemote(), cause.myTicks()) > 0) {
            throw fail("node " + n.id + " " + key + " yielded to a worse master " + describe(ad));
        }
    }

    /** A BACKUP takes over only from a worse, more demoted, timing-out or bowing-out master, or after silence. */
    private void checkTakeover(SimNode n, VhKey key, VirtualHost h) {
        switch (cause.kind()) {
            case ADVERT -> {
                Advertisement ad = cause.advert();
                boolean worse = compare(ad.demote(), ad.intervalTicks(), cause.myDemote(), cause.myTicks()) > 0;
                SimVhid v = vhid(key);
                boolean willTimeOut = v.advbase() != 0
                        && ad.intervalTicks() > v.deadRatio() * v.advbase() * 256 + (cause.myTicks() - v.advbase() * 256);
                boolean allowed = ad.isBowOut() || willTimeOut || ad.demote() > cause.myDemote() || (v.preempt() && worse);
                if (!allowed) throw fail("node " + n.id + " " + key + " took over from an acceptable master " + describe(ad));
            }
            case TIMER -> {
                long md = h.masterDownNanos();
                boolean silent = false;
                for (Family f : vhid(key).families()) silent |= n.lastHeard.get(key)[f.ordinal()] + md <= now;
                if (!silent) throw fail("node " + n.id + " " + key + " took over by timer although every family was heard within master-down");
            }
            case SCRIPT -> throw fail("node " + n.id + " " + key + " became MASTER on an operator/link event");
        }
    }

    private void checkConsistent(SimNode n, VhKey key) {
        CarpState s = n.carp.state(key);
        if (s != n.states.get(key)) throw fail("node " + n.id + " " + key + " is " + s + " but its transitions say " + n.states.get(key));
        if (n.owned.contains(key) != (s == CarpState.MASTER)) throw fail("node " + n.id + " " + key + " is " + s + " but holds VIPs=" + n.owned.contains(key));
        if (n.timers.containsKey(key) != (s != CarpState.INIT)) throw fail("node " + n.id + " " + key + " is " + s + " with timer armed=" + n.timers.containsKey(key));
    }

    /** A BACKUP must not outlive a silent family's master-down; a MASTER must not skip an advert. */
    private void checkLiveness() {
        for (SimNode n : nodes) {
            if (!n.alive()) continue;
            for (SimVhid v : sc.vhids()) {
                VirtualHost h = n.carp.host(v.key());
                switch (h.state()) {
                    case BACKUP -> {
                        for (Family f : v.families()) {
                            long deadline = n.lastHeard.get(v.key())[f.ordinal()] + h.masterDownNanos();
                            if (Math.max(deadline, n.reconfigured.getOrDefault(v.key(), deadline)) < now) {
                                throw fail("node " + n.id + " " + v.key() + " still BACKUP although " + f + " was silent for master-down");
                            }
                        }
                    }
                    case MASTER -> {
                        if (n.lastSent.get(v.key()) + h.advertIntervalNanos() < now) {
                            throw fail("node " + n.id + " " + v.key() + " MASTER skipped an advert");
                        }
                    }
                    case INIT -> { }
                }
            }
        }
    }

    private boolean inChangeWindow() {
        return changed && now < resettleAt;
    }

    /** After the heal (and again after the demotion change) every VHID with a live node has exactly one MASTER. */
    private void checkHealthyPhase() {
        if (!healed || now < settleAt || inChangeWindow()) return;
        for (SimVhid v : sc.vhids()) {
            int masters = 0;
            boolean anyAlive = false;
            for (SimNode n : nodes) {
                if (!n.alive()) continue;
                anyAlive = true;
                if (n.carp.state(v.key()) == CarpState.MASTER) masters++;
            }
            if (anyAlive && masters != 1) throw fail(v.key() + " has " + masters + " MASTERs in a healthy network");
        }
    }

    /** With preempt the best node is MASTER; a demoted node is MASTER of nothing another node can hold. */
    private void checkBestMasters(String when) {
        for (SimVhid v : sc.vhids()) {
            int best = -1;
            int alive = 0;
            boolean tie = false;
            for (SimNode n : nodes) {
                if (!n.alive()) continue;
                alive++;
                VirtualHost h = n.carp.host(v.key());
                if (best < 0) {
                    best = n.id;
                } else {
                    VirtualHost b = nodes[best].carp.host(v.key());
                    int c = compare(h.demotion(), myTicks(h), b.demotion(), myTicks(b));
                    if (c < 0) best = n.id;
                    tie = c == 0 || (tie && c > 0);
                }
            }
            if (best < 0) continue;
            // With equal priorities CARP has no tie-break: whoever timed out first keeps the role.
            if (v.preempt() && !tie && nodes[best].carp.state(v.key()) != CarpState.MASTER) {
                throw fail(v.key() + ": best node " + best + " is not MASTER " + when + " although preempt is on");
            }
            if (demotedAfterHeal >= 0 && alive > 1 && nodes[demotedAfterHeal].alive()
                    && nodes[demotedAfterHeal].carp.state(v.key()) == CarpState.MASTER) {
                throw fail(v.key() + ": demoted node " + demotedAfterHeal + " is still MASTER " + when);
            }
        }
    }

    /** The masters that coexisted at the heal: at most one may still be MASTER one interval + D later. */
    private void checkDualMastersEnded(HealCheck c) {
        int still = 0;
        for (int id : c.dualMasters()) {
            SimNode n = nodes[id];
            if (n.alive() && n.carp.state(c.key()) == CarpState.MASTER && n.carp.host(c.key()).lastTransition().orElseThrow().atNanos() - sc.base() < sc.healAt()) {
                still++;
            }
        }
        if (still > 1) throw fail(c.key() + ": " + still + " masters from before the heal still MASTER one interval + D after it");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Lexicographic (demote, interval): negative when the first is better. */
    private static int compare(int demoteA, int ticksA, int demoteB, int ticksB) {
        int c = Integer.compare(demoteA, demoteB);
        return c != 0 ? c : Integer.compare(ticksA, ticksB);
    }

    private static int myTicks(VirtualHost h) {
        return h.config().advbase() * 256 + h.advertisedSkew();
    }

    private SimVhid vhid(VhKey key) {
        for (SimVhid v : sc.vhids()) if (v.key().equals(key)) return v;
        throw new IllegalStateException("unknown " + key);
    }

    private void log(String line) {
        String s = secs(now) + " s  " + line;
        if (verbose) System.out.println(s);
        if (trace.size() == 40) trace.removeFirst();
        trace.addLast(s);
    }

    private SimulationFailure fail(String what) {
        return new SimulationFailure(sc.seed(), "seed " + sc.seed() + " at " + secs(now) + " s: " + what
                + "\n" + sc.describe() + "last events:\n  " + String.join("\n  ", trace));
    }

    static String secs(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.4f", nanos / 1e9);
    }

    static String describe(Advertisement ad) {
        return "(advbase " + ad.advbase() + " advskew " + ad.advskew() + " demote " + ad.demote() + ")";
    }

    static String describe(Fault f) {
        return switch (f) {
            case Fault.Partition p -> "partition " + p.segment() + " " + java.util.Arrays.toString(p.sideOfNode());
            default -> f.toString();
        };
    }
}
