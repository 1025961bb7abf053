package io.carpd.pfsync.splitbrain;

import io.carpd.core.election.CarpState;
import io.carpd.pfsync.wire.VhidState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares our VHID states with the peer's latest view: a VHID both claim as MASTER longer than
 * its advert interval (at least {@link #MIN_GRACE_NANOS}) is a split brain. The grace period hides
 * the normal instant of a takeover, when the new MASTER's first advert has not yet reached the old
 * one. Each split brain is reported once when confirmed and once when it ends. Sans I/O: fed views
 * and {@code now}; not thread-safe.
 */
public final class SplitBrainDetector {
    public static final long MIN_GRACE_NANOS = 1_000_000_000L;

    private record Key(String iface, int vhid) {}

    /** When each VHID was first seen MASTER on both sides (confirmed or not yet). */
    private final Map<Key, Long> bothMasterSince = new HashMap<>();
    private final Set<Key> confirmed = new HashSet<>();
    private long total;

    /**
     * Feeds the current views; returns the split brains confirmed or ended by them, in VHID order.
     * An empty peer view (link down, or nothing heard yet) ends every split brain: we cannot know.
     */
    public List<SplitBrainChange> update(Collection<OwnVhid> own, Collection<VhidState> peer, long now) {
        Set<Key> peerMasters = new HashSet<>();
        for (VhidState p : peer) {
            if (p.state() == CarpState.MASTER) {
                peerMasters.add(new Key(p.iface(), p.vhid()));
            }
        }
        List<SplitBrainChange> changes = new ArrayList<>();
        Set<Key> both = new HashSet<>();
        for (OwnVhid o : own) {
            Key k = new Key(o.iface(), o.vhid());
            if (o.state() != CarpState.MASTER || !peerMasters.contains(k)) {
                continue;
            }
            both.add(k);
            long since = bothMasterSince.computeIfAbsent(k, x -> now);
            if (!confirmed.contains(k) && now - since > Math.max(MIN_GRACE_NANOS, o.advertIntervalNanos())) {
                confirmed.add(k);
                total++;
                changes.add(new SplitBrainChange.Started(new SplitBrain(k.iface(), k.vhid(), since)));
            }
        }
        for (Key k : List.copyOf(bothMasterSince.keySet())) {
            if (!both.contains(k)) {
                long since = bothMasterSince.remove(k);
                if (confirmed.remove(k)) {
                    changes.add(new SplitBrainChange.Ended(new SplitBrain(k.iface(), k.vhid(), since), now - since));
                }
            }
        }
        changes.sort(Comparator.comparing((SplitBrainChange c) -> c.splitBrain().iface())
                .thenComparingInt(c -> c.splitBrain().vhid()));
        return changes;
    }

    /** The confirmed split brains, in VHID order. */
    public List<SplitBrain> active() {
        return confirmed.stream().map(k -> new SplitBrain(k.iface(), k.vhid(), bothMasterSince.get(k)))
                .sorted(Comparator.comparing(SplitBrain::iface).thenComparingInt(SplitBrain::vhid)).toList();
    }

    /** Split brains confirmed since start. */
    public long total() {
        return total;
    }
}
