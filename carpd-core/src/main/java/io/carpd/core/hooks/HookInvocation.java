package io.carpd.core.hooks;

import io.carpd.core.config.IpPrefix;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command line and {@code CARPD_*} environment a hook gets for an event. Every variable is
 * always set (empty when it does not apply to the event) so scripts running under {@code set -u}
 * need no guards.
 */
final class HookInvocation {

    private HookInvocation() {
    }

    /** {@code <hook> <event> <new state>}, e.g. {@code [/etc/carpd/hooks.d/10-vpn, vhid, MASTER]}. */
    static List<String> command(Path hook, HookEvent event) {
        return List.of(hook.toString(), event.name(), event.newState());
    }

    /** The variables to add to the daemon's own environment, in a stable order. */
    static Map<String, String> environment(HookEvent event, String node) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CARPD_EVENT", event.name());
        env.put("CARPD_NODE", node);
        env.put("CARPD_VHID", "");
        env.put("CARPD_INTERFACE", "");
        env.put("CARPD_VIPS", "");
        env.put("CARPD_OLD_STATE", "");
        env.put("CARPD_NEW_STATE", event.newState());
        env.put("CARPD_REASON", "");
        env.put("CARPD_NODE_ROLE", event.nodeRole().name());
        env.put("CARPD_DEMOTION", "");
        env.put("CARPD_DEMOTION_GROUP", "");
        switch (event) {
            case HookEvent.VhidTransition v -> {
                env.put("CARPD_VHID", Integer.toString(v.key().vhid()));
                env.put("CARPD_INTERFACE", v.key().iface());
                env.put("CARPD_VIPS", v.vips().stream().map(IpPrefix::toString).collect(Collectors.joining(" ")));
                env.put("CARPD_OLD_STATE", v.from().name());
                env.put("CARPD_REASON", v.reason());
                env.put("CARPD_DEMOTION", Integer.toString(v.demotion()));
            }
            case HookEvent.NodeRole r -> {
                env.put("CARPD_OLD_STATE", r.from().name());
                env.put("CARPD_REASON", r.reason());
            }
            case HookEvent.DemotionChange d -> {
                env.put("CARPD_OLD_STATE", Integer.toString(d.previous()));
                env.put("CARPD_REASON", d.reason());
                env.put("CARPD_DEMOTION", Integer.toString(d.demotion()));
                env.put("CARPD_DEMOTION_GROUP", d.group());
            }
        }
        return env;
    }

    /** For logs: {@code vhid 2 on lan BACKUP -> MASTER}, {@code node BACKUP -> MIXED}, {@code demotion carp 0 -> 240}. */
    static String describe(HookEvent event) {
        return switch (event) {
            case HookEvent.VhidTransition v -> v.key() + " " + v.from() + " -> " + v.to();
            case HookEvent.NodeRole r -> "node " + r.from() + " -> " + r.to();
            case HookEvent.DemotionChange d -> "demotion " + d.group() + " " + d.previous() + " -> " + d.demotion();
        };
    }
}
