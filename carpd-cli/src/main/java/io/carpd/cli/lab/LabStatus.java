package io.carpd.cli.lab;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who holds each VIP (read from the firewalls' interface addresses) and which daemons run.
 *
 * @param holders firewalls holding each VIP
 * @param daemon  which daemon the lab runs
 * @param pids    daemon process ids of each firewall, empty when its daemon is not running
 * @param states  CARP state per VHID as each carpd reports it (empty when it cannot be asked)
 */
public record LabStatus(DaemonKind daemon, Map<LabVip, List<LabNode>> holders, Map<LabNode, List<Long>> pids,
                        Map<LabNode, Map<Integer, String>> states) {

    /** One line per VIP and one per daemon, for a terminal. */
    public String render() {
        StringBuilder s = new StringBuilder();
        for (var e : holders.entrySet()) {
            LabVip vip = e.getKey();
            List<LabNode> h = e.getValue();
            String owner = switch (h.size()) {
                case 0 -> "nobody";
                case 1 -> h.getFirst().label();
                default -> h.stream().map(LabNode::label).collect(Collectors.joining(" and ")) + "  (DUAL MASTER)";
            };
            s.append(String.format("vhid %d  %-4s %-16s held by %s%n", vip.vhid(), vip.iface(), vip.cidr(), owner));
        }
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            List<Long> p = pids.getOrDefault(fw, List.of());
            Map<Integer, String> st = states.getOrDefault(fw, Map.of());
            String view = st.isEmpty() ? "" : st.entrySet().stream()
                    .map(v -> "vhid " + v.getKey() + " " + v.getValue()).collect(Collectors.joining(", ", " (", ")"));
            s.append(String.format("%s %s: %s%s%n", fw.label(), daemon.label(), p.isEmpty() ? "not running"
                    : "running, pid " + p.stream().map(String::valueOf).collect(Collectors.joining(" ")), view));
        }
        return s.toString();
    }
}
