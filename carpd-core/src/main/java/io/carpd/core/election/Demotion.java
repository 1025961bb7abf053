package io.carpd.core.election;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Node-wide demotion counters: group → source → value, like OpenBSD's per-group carpdemote but with
 * named sources so that independent reasons (a link, maintenance, an unfinished state sync, the
 * operator) raise and clear their own share without undoing each other's.
 *
 * <p>The demotion of a VHID is the sum over group {@value #CARP_GROUP} (every VHID is in it) and the
 * VHID's own groups, capped at {@value #MAX} because it travels in one byte.
 *
 * <p>The link-down and maintenance values are 240, FreeBSD's {@code ifdown_demotion_factor}: since
 * carpd also folds demotion into the advertised advskew (capped at 240, spec §9), 240 is the value
 * that makes a demoted node lose against FreeBSD, OPNsense and ucarp peers too, which ignore the
 * OpenBSD demote byte and compare advskew only.
 */
public final class Demotion {

    /** The group every VHID belongs to. */
    public static final String CARP_GROUP = "carp";
    /** The cap of a VHID's demotion (one byte on the wire). */
    public static final int MAX = 255;
    /** Raised in {@value #CARP_GROUP} while a watched interface has no carrier. */
    public static final int LINK_DOWN = 240;
    /** Raised in {@value #CARP_GROUP} by maintenance mode: the node gives up every VIP. */
    public static final int MAINTENANCE = 240;

    /** The source maintenance mode raises {@link #MAINTENANCE} under, in {@value #CARP_GROUP}. */
    public static final String MAINTENANCE_SOURCE = "maintenance";
    /** Raised by state sync until the first bulk transfer completed (its value is configured). */
    public static final String SYNC_SOURCE = "sync";
    /** The source of the demotion an operator sets through the control API, in the group they name. */
    public static final String OPERATOR_SOURCE = "operator";

    private final Map<String, Map<String, Integer>> groups = new TreeMap<>();

    /** The source name used while {@code iface} has no carrier. */
    public static String linkSource(String iface) {
        return "link:" + iface;
    }

    /**
     * Sets one source of one group; 0 removes it.
     *
     * @return whether the group's total changed
     * @throws IllegalArgumentException naming the bad group, source or value
     */
    public boolean set(String group, String source, int value) {
        if (group == null || group.isBlank()) throw new IllegalArgumentException("demotion group must not be empty");
        if (source == null || source.isBlank()) throw new IllegalArgumentException("demotion source in group " + group + " must not be empty");
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("demotion " + group + "/" + source + ": " + value + " is out of range 0.." + MAX);
        }
        int before = total(group);
        if (value == 0) {
            Map<String, Integer> sources = groups.get(group);
            if (sources != null) {
                sources.remove(source);
                if (sources.isEmpty()) groups.remove(group);
            }
        } else {
            groups.computeIfAbsent(group, g -> new TreeMap<>()).put(source, value);
        }
        return total(group) != before;
    }

    /** The value of one source, 0 when unset. */
    public int get(String group, String source) {
        return groups.getOrDefault(group, Map.of()).getOrDefault(source, 0);
    }

    /** The capped sum of one group's sources. */
    public int total(String group) {
        int sum = 0;
        for (int v : groups.getOrDefault(group, Map.of()).values()) sum += v;
        return Math.min(sum, MAX);
    }

    /** The demotion of a VHID in {@code vhidGroups} (group {@value #CARP_GROUP} is always added). */
    public int effective(Set<String> vhidGroups) {
        int sum = total(CARP_GROUP);
        for (String g : vhidGroups) {
            if (!g.equals(CARP_GROUP)) sum += total(g);
        }
        return Math.min(sum, MAX);
    }

    /** An immutable copy: group → source → value, sorted by name. */
    public Map<String, Map<String, Integer>> snapshot() {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        groups.forEach((g, sources) -> copy.put(g, Collections.unmodifiableMap(new TreeMap<>(sources))));
        return Collections.unmodifiableMap(copy);
    }
}
