package io.carpd.cli.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The reference deployment in namespaces named {@code <prefix><node>}: client and server, fw1 and
 * fw2 with interfaces {@code lan}, {@code wan} and {@code sync}, and a switch namespace holding the
 * LAN and WAN bridges. The per-lab prefix lets several labs (and test runs) coexist.
 */
public final class Topology {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,24}");
    /** Client and server are host .10 of their segment. */
    public static final int END_HOST = 10;

    private final String prefix;

    public Topology(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab prefix '" + prefix + "' must be 1-24 of [A-Za-z0-9_-]");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** Namespace name of a node. */
    public String ns(LabNode node) {
        return prefix + node.label();
    }

    /** Host number of a firewall on a segment (LAN .1/.2, WAN .2/.3, SYNC .1/.2). */
    public static int hostNumber(LabNode fw, Segment segment) {
        int base = segment == Segment.WAN ? 2 : 1;
        return switch (fw) {
            case FW1 -> base;
            case FW2 -> base + 1;
            default -> throw new IllegalArgumentException(fw.label() + " is not a firewall");
        };
    }

    /** A firewall's own (non-virtual) address on a segment, without prefix length. */
    public static String address(LabNode fw, Segment segment) {
        return segment.host(hostNumber(fw, segment));
    }

    public static String clientAddress() {
        return Segment.LAN.host(END_HOST);
    }

    public static String serverAddress() {
        return Segment.WAN.host(END_HOST);
    }

    /**
     * Creates every namespace, bridge, link, address and route. {@code created} hears each
     * namespace name before it is created, so a caller can record it for cleanup even when a later
     * step fails.
     */
    public void build(Consumer<String> created) {
        for (LabNode node : LabNode.values()) {
            created.accept(ns(node));
            Namespaces.add(ns(node));
        }
        String sw = ns(LabNode.SWITCH);
        for (Segment s : List.of(Segment.LAN, Segment.WAN)) {
            String br = bridge(s);
            Namespaces.ip(sw, "link", "add", br, "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
            Namespaces.ip(sw, "link", "set", br, "up");
        }
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            for (Segment s : List.of(Segment.LAN, Segment.WAN)) {
                attach(fw, s, s.cidr(hostNumber(fw, s)));
            }
            Namespaces.sysctl(ns(fw), "net.ipv4.ip_forward", "1");
        }
        attach(LabNode.CLIENT, Segment.LAN, Segment.LAN.cidr(END_HOST));
        attach(LabNode.SERVER, Segment.WAN, Segment.WAN.cidr(END_HOST));

        String fw1 = ns(LabNode.FW1);
        String fw2 = ns(LabNode.FW2);
        String sync = Segment.SYNC.iface();
        Namespaces.ip(fw1, "link", "add", sync, "type", "veth", "peer", "name", sync, "netns", fw2);
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Namespaces.ip(ns(fw), "addr", "add", Segment.SYNC.cidr(hostNumber(fw, Segment.SYNC)), "dev", sync);
            Namespaces.ip(ns(fw), "link", "set", sync, "up");
        }

        Namespaces.ip(ns(LabNode.CLIENT), "route", "add", "default", "via", LabVip.LAN.address());
        Namespaces.ip(ns(LabNode.SERVER), "route", "add", Segment.LAN.network(), "via", LabVip.WAN.address());
    }

    /** Sets a firewall's own {@code lan}, {@code wan} and {@code sync} links up or down (a dead box). */
    public void setFirewallLinks(LabNode fw, boolean up) {
        for (Segment s : Segment.values()) {
            Namespaces.ip(ns(fw), "link", "set", s.iface(), up ? "up" : "down");
        }
    }

    /**
     * Sets the switch port of a firewall's LAN or WAN link up or down: a pulled cable, seen by the
     * firewall as loss of carrier while its own interface stays administratively up.
     */
    public void setSwitchPort(LabNode fw, Segment segment, boolean up) {
        if (segment == Segment.SYNC) {
            throw new IllegalArgumentException("the sync link has no switch port");
        }
        Namespaces.ip(ns(LabNode.SWITCH), "link", "set", port(segment, fw), up ? "up" : "down");
    }

    /**
     * Drops CARP multicast (224.0.0.18) in both bridges, so only unicast-peer adverts get through.
     */
    public void dropCarpMulticast() {
        Namespaces.nft(ns(LabNode.SWITCH), """
                table bridge carplab {
                  chain forward {
                    type filter hook forward priority 0; policy accept;
                    ip daddr 224.0.0.18 counter drop
                  }
                }
                """);
    }

    /**
     * Drops CARP multicast on one segment's bridge only (both firewalls' ports of it), leaving the
     * other segments and the sync link alone: the two nodes stop hearing each other's adverts for
     * that segment's VHID while state sync keeps working, i.e. a split brain. Undone by
     * {@link #allowCarpMulticast()}.
     */
    public void dropCarpMulticast(Segment segment) {
        if (segment == Segment.SYNC) {
            throw new IllegalArgumentException("the sync link has no bridge");
        }
        Namespaces.nft(ns(LabNode.SWITCH), """
                table bridge carpsplit {
                  chain forward {
                    type filter hook forward priority 0; policy accept;
                    iifname { "%s", "%s" } ip daddr 224.0.0.18 counter drop
                  }
                }
                """.formatted(port(segment, LabNode.FW1), port(segment, LabNode.FW2)));
    }

    /** Removes the drop of {@link #dropCarpMulticast(Segment)}. */
    public void allowCarpMulticast() {
        Namespaces.nft(ns(LabNode.SWITCH), "delete table bridge carpsplit\n");
    }

    /**
     * Makes both firewalls stateful, as a state-sync deployment runs them: forwarding policy drop,
     * established and related traffic accepted, new connections only from the LAN. With
     * {@code nf_conntrack_tcp_loose=0} a mid-stream TCP packet without a state is dropped instead of
     * adopted, so only a synced state carries a session across a failover; with
     * {@code nf_conntrack_events=1} every connection reports its end. With {@code snat}, LAN traffic
     * leaves through the WAN with the WAN VIP as its source: {@code snat to} the VIP, because
     * {@code masquerade} would pick the interface's primary address, which dies with the firewall.
     */
    public void installStatefulFirewall(boolean snat) {
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Namespaces.sysctl(ns(fw), "net.netfilter.nf_conntrack_tcp_loose", "0");
            Namespaces.sysctl(ns(fw), "net.netfilter.nf_conntrack_events", "1");
            Namespaces.nft(ns(fw), """
                    table inet carplab_fw {
                      chain forward {
                        type filter hook forward priority filter; policy drop;
                        ct state established,related accept
                        ct state invalid counter drop
                        iifname "lan" oifname "wan" ct state new counter accept
                      }
                    }
                    """);
            if (snat) {
                Namespaces.nft(ns(fw), """
                        table ip carplab_nat {
                          chain postrouting {
                            type nat hook postrouting priority srcnat; policy accept;
                            oifname "wan" ip saddr %s snat to %s
                          }
                        }
                        """.formatted(Segment.LAN.network(), LabVip.WAN.address()));
            }
        }
    }

    /** Whether the client gets at least one of three pings answered by the server (bounded: ~1.5 s). */
    public boolean clientReachesServer() {
        return Namespaces.tryRun(List.of("ip", "netns", "exec", ns(LabNode.CLIENT), "ping", "-n", "-q", "-c", "3",
                "-i", "0.2", "-W", "1", serverAddress()), null).ok();
    }

    /**
     * For each VIP, the firewalls that hold it on an interface that can carry traffic. An address
     * left on a link without carrier (a dead box, a pulled cable) answers nobody, so it is not
     * counted; one left on a working link by a killed daemon is, as it really conflicts.
     */
    public Map<LabVip, List<LabNode>> vipHolders() {
        Map<LabVip, List<LabNode>> holders = new EnumMap<>(LabVip.class);
        for (LabVip vip : LabVip.values()) {
            holders.put(vip, new ArrayList<>());
        }
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Map<String, Namespaces.LinkAddresses> links = Namespaces.addresses(ns(fw));
            for (LabVip vip : LabVip.values()) {
                Namespaces.LinkAddresses link = links.get(vip.iface());
                if (link != null && link.running() && link.addresses().contains(vip.cidr())) {
                    holders.get(vip).add(fw);
                }
            }
        }
        return holders;
    }

    /** Whether {@code fw} holds every VIP (whatever its peer holds). */
    public boolean holdsAll(LabNode fw) {
        return vipHolders().values().stream().allMatch(h -> h.contains(fw));
    }

    /** Whether {@code fw} holds every VIP and its peer holds none. */
    public boolean soleOwner(LabNode fw) {
        return vipHolders().values().stream().allMatch(h -> h.equals(List.of(fw)));
    }

    private void attach(LabNode node, Segment segment, String cidr) {
        String sw = ns(LabNode.SWITCH);
        String port = port(segment, node);
        String iface = segment.iface();
        Namespaces.ip(sw, "link", "add", port, "type", "veth", "peer", "name", iface, "netns", ns(node));
        Namespaces.ip(sw, "link", "set", port, "master", bridge(segment), "up");
        Namespaces.ip(ns(node), "addr", "add", cidr, "dev", iface);
        Namespaces.ip(ns(node), "link", "set", iface, "up");
    }

    private static String bridge(Segment segment) {
        return "br-" + segment.iface();
    }

    private static String port(Segment segment, LabNode node) {
        return segment.iface() + "-" + node.label();
    }
}
