package io.carpd.core.runtime;

import io.carpd.core.api.Counters;
import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.Transition;
import io.carpd.core.api.VipStatus;
import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpNode;
import io.carpd.core.election.Demotion;
import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHost;
import io.carpd.core.linux.PacketPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the control API's status snapshot from the loop's state (call on the loop thread). */
final class StatusView {

    private StatusView() {}

    static NodeStatus of(CarpdConfig config, CarpNode node, ActionExecutor executor, RuntimeCounters counters,
                         Map<String, PacketPort> ports, boolean maintenance, boolean disabled) {
        Map<VhKey, List<String>> addresses = new HashMap<>();
        config.vhids().forEach(v -> addresses.put(v.key(), v.addresses().stream().map(IpPrefix::toString).toList()));
        List<VipStatus> vips = new ArrayList<>();
        Transition newest = null;
        int effective = 0;
        for (Map.Entry<VhKey, VirtualHost> e : node.hosts().entrySet()) {
            VhKey key = e.getKey();
            VirtualHost host = e.getValue();
            var cfg = host.config();
            Set<String> groups = new LinkedHashSet<>(List.of(Demotion.CARP_GROUP));
            groups.addAll(cfg.groups());
            Transition last = transition(key, executor.lastTransition(key));
            if (last != null && (newest == null || last.at().isAfter(newest.at()))) newest = last;
            effective = Math.max(effective, host.demotion());
            vips.add(new VipStatus(key.iface(), key.vhid(), host.state(), cfg.advbase(), cfg.advskew(),
                    host.advertisedSkew(), host.demotion(), addresses.getOrDefault(key, List.of()), groups, last));
        }
        return new NodeStatus(config.node(), vips, node.demotion(), effective, maintenance, disabled, newest,
                counters(counters, ports));
    }

    private static Transition transition(VhKey key, ActionExecutor.LastTransition t) {
        return t == null ? null : new Transition(key.iface(), key.vhid(), t.from(), t.to(), t.reason(), t.at());
    }

    /** The runtime's counters plus the capture errors the pcap handles counted themselves. */
    static Counters counters(RuntimeCounters counters, Map<String, PacketPort> ports) {
        Map<String, Counters.InterfaceCounters> interfaces = new HashMap<>();
        Map<String, RuntimeCounters.InterfaceCounters> own = counters.interfaces();
        Set<String> names = new LinkedHashSet<>(own.keySet());
        names.addAll(ports.keySet());
        for (String iface : names) {
            RuntimeCounters.InterfaceCounters c = own.get(iface);
            Map<String, Long> drops = new HashMap<>(c == null ? Map.of() : c.drops());
            PacketPort port = ports.get(iface);
            if (port != null && port.captureErrors() > 0) drops.put("capture_error", port.captureErrors());
            interfaces.put(iface, c == null
                    ? new Counters.InterfaceCounters(0, 0, drops, 0, 0)
                    : new Counters.InterfaceCounters(c.advertsSent(), c.advertsReceived(), drops, c.garpSent(), c.naSent()));
        }
        List<Counters.TransitionCount> transitions = counters.transitions().stream()
                .map(t -> new Counters.TransitionCount(t.iface(), t.vhid(), t.to(), t.reason(), t.count()))
                .toList();
        return new Counters(interfaces, transitions);
    }
}
