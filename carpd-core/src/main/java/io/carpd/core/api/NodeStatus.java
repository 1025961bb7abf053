package io.carpd.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshot of a whole node.
 *
 * @param node              configured node name
 * @param vips              one entry per VHID (interface + vhid), in configuration order
 * @param demotion          group → source → value, e.g. {"carp": {"maintenance": 240, "link:wan": 240}}
 * @param effectiveDemotion the highest effective demotion of any VHID (capped sum over its groups, 0..255)
 * @param maintenance       persistent maintenance flag
 * @param disabled          operator disable flag
 * @param lastTransition    the node's most recent VHID transition, or null if none yet
 * @param counters          cumulative protocol counters since the daemon started
 */
public record NodeStatus(
        String node,
        List<VipStatus> vips,
        Map<String, Map<String, Integer>> demotion,
        int effectiveDemotion,
        boolean maintenance,
        boolean disabled,
        Transition lastTransition,
        Counters counters) {

    public NodeStatus {
        vips = List.copyOf(vips);
        demotion = copyDemotion(demotion);
    }

    private static Map<String, Map<String, Integer>> copyDemotion(Map<String, Map<String, Integer>> in) {
        var out = new LinkedHashMap<String, Map<String, Integer>>();
        in.forEach((group, sources) -> out.put(group, Collections.unmodifiableMap(new LinkedHashMap<>(sources))));
        return Collections.unmodifiableMap(out);
    }
}
