package io.carpd.core.hooks;

import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns election output into hook events: remembers every VHID's state to derive the node
 * {@link Role} (a {@link HookEvent.NodeRole} only when it changes) and every demotion group's total
 * so a {@link HookEvent.DemotionChange} can name the previous value. Plain object, no I/O; used on
 * the event loop only.
 */
public final class NodeRoleTracker {
    private final Map<VhKey, CarpState> states = new LinkedHashMap<>();
    private final Map<String, Integer> demotions = new HashMap<>();
    private Role role;

    /** Starts with every VHID in INIT, as the election core does. */
    public NodeRoleTracker(Collection<VhKey> vhids) {
        vhids.forEach(k -> states.put(k, CarpState.INIT));
        role = compute();
    }

    public Role role() {
        return role;
    }

    /**
     * Records a VHID transition (a VHID not seen before is added).
     *
     * @param demotion the VHID's current demotion ({@code VirtualHost.demotion()})
     * @return the {@link HookEvent.VhidTransition}, followed by a {@link HookEvent.NodeRole} if the node role changed
     */
    public List<HookEvent> transition(VhKey key, List<IpPrefix> vips, int demotion, VhAction.Transition t) {
        states.put(key, t.to());
        HookEvent vhid = new HookEvent.VhidTransition(key, vips, t.from(), t.to(), t.reason(), demotion, compute());
        return withRoleChange(vhid, t.reason());
    }

    /** Adds a VHID (in INIT) created by a reload; returns a {@link HookEvent.NodeRole} if that changed the role. */
    public List<HookEvent> added(VhKey key, String reason) {
        if (states.putIfAbsent(key, CarpState.INIT) != null) {
            return List.of();
        }
        return withRoleChange(null, reason);
    }

    /** Forgets a VHID removed by a reload; returns a {@link HookEvent.NodeRole} if that changed the role. */
    public List<HookEvent> removed(VhKey key, String reason) {
        if (states.remove(key) == null) {
            return List.of();
        }
        return withRoleChange(null, reason);
    }

    /** The event for a demotion group's new total, naming the total it had before. */
    public HookEvent.DemotionChange demotion(NodeAction.DemotionChanged d) {
        Integer previous = demotions.put(d.group(), d.total());
        return new HookEvent.DemotionChange(d.group(), previous == null ? 0 : previous, d.total(), d.reason(), role);
    }

    private List<HookEvent> withRoleChange(HookEvent first, String reason) {
        Role before = role;
        role = compute();
        HookEvent change = role == before ? null : new HookEvent.NodeRole(before, role, reason);
        if (first == null) {
            return change == null ? List.of() : List.of(change);
        }
        return change == null ? List.of(first) : List.of(first, change);
    }

    private Role compute() {
        CarpState common = null;
        for (CarpState s : states.values()) {
            if (common == null) {
                common = s;
            } else if (common != s) {
                return Role.MIXED;
            }
        }
        if (common == null) {
            return Role.INIT;
        }
        return switch (common) {
            case INIT -> Role.INIT;
            case BACKUP -> Role.BACKUP;
            case MASTER -> Role.MASTER;
        };
    }
}
