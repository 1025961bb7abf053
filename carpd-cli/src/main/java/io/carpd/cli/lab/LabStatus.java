package io.carpd.cli.lab;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who holds each VIP (read from the firewalls' interface addresses) and which daemons run.
 *
 * @param holders firewalls holding each VIP
 * @param pids    daemon pid of each firewall, absent when its daemon is not running
 */
public record LabStatus(Map<LabVip, List<LabNode>> holders, Map<LabNode, Long> pids) {

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
            Long pid = pids.get(fw);
            s.append(String.format("%s daemon: %s%n", fw.label(), pid == null ? "not running" : "running, pid " + pid));
        }
        return s.toString();
    }
}
