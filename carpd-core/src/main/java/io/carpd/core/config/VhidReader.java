package io.carpd.core.config;

import io.carpd.core.election.Demotion;
import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import io.carpd.core.wire.CarpAuth;
import io.carpd.core.wire.Family;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code defaults} and the {@code vhids} list, including the checks that span several VHIDs. */
final class VhidReader {
    private static final Map<String, MasterDownFormula> MASTER_DOWN =
            Map.of("classic", MasterDownFormula.CLASSIC, "openbsd-current", MasterDownFormula.OPENBSD_CURRENT);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final Problems problems;
    private final InterfaceAddresses interfaces;
    private final Map<VhKey, Node> seenKeys = new HashMap<>();
    private final Map<InetAddress, String> seenAddresses = new HashMap<>();
    private Election defaults = Election.NONE;

    VhidReader(Problems problems, InterfaceAddresses interfaces) {
        this.problems = problems;
        this.interfaces = interfaces;
    }

    /**
     * Election settings of one section; null fields are not set there (or were invalid and reported).
     * A null {@code password} with {@code passwordSet} means the section set one but it is unusable.
     */
    private record Election(Integer advbase, Integer advskew, Boolean preempt, Integer deadRatio,
                            MasterDownFormula masterDown, boolean passwordSet, byte[] password) {
        static final Election NONE = new Election(null, null, null, null, null, false, null);

        Election orElse(Election d) {
            return new Election(
                    advbase != null ? advbase : d.advbase,
                    advskew != null ? advskew : d.advskew,
                    preempt != null ? preempt : d.preempt,
                    deadRatio != null ? deadRatio : d.deadRatio,
                    masterDown != null ? masterDown : d.masterDown,
                    passwordSet || d.passwordSet,
                    passwordSet ? password : d.password);
        }
    }

    void readDefaults(YamlSection section) {
        defaults = election(section);
    }

    /** Every valid entry of the list; invalid ones are reported and left out. */
    List<VhidConfig> readVhids(List<Node> items) {
        List<VhidConfig> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlSection entry = YamlSection.of(items.get(i), "vhids[" + i + "]", ConfigKeys.VHID, problems);
            if (entry != null) {
                VhidConfig v = vhid(entry);
                if (v != null) {
                    result.add(v);
                }
            }
        }
        return result;
    }

    private VhidConfig vhid(YamlSection s) {
        Integer vhid = s.integer("vhid", 1, 255);
        if (!s.has("vhid")) {
            problems.error(s.self(), s.field("vhid"), "missing (a number 1..255)");
        }
        String iface = interfaceName(s);
        if (vhid != null && iface != null) {
            Node first = seenKeys.putIfAbsent(new VhKey(iface, vhid), s.node("vhid"));
            if (first != null) {
                problems.error(s.node("vhid"), s.field("vhid"), "vhid " + vhid + " is already configured on " + iface
                        + " (line " + (first.getStartMark().getLine() + 1) + ")");
            }
        }
        List<IpPrefix> addresses = addresses(s, iface);
        List<InetAddress> peers = peers(s, addresses);
        Set<String> groups = groups(s);
        Election e = election(s).orElse(defaults);
        if (!e.passwordSet) {
            problems.error(s.self(), s.field("password"), "no password: set password or password_file here or under defaults");
        }
        if (vhid == null || iface == null || addresses == null || peers == null || groups == null || e.password == null) {
            return null;
        }
        return new VhidConfig(iface, vhid, addresses,
                e.advbase != null ? e.advbase : 1,
                e.advskew != null ? e.advskew : 0,
                e.preempt != null ? e.preempt : true,
                e.deadRatio != null ? e.deadRatio : 3,
                e.masterDown != null ? e.masterDown : MasterDownFormula.CLASSIC,
                e.password, peers, groups);
    }

    private Election election(YamlSection s) {
        return new Election(
                s.integer("advbase", 0, 255),
                s.integer("advskew", 0, 254),
                s.bool("preempt"),
                s.integer("dead_ratio", 1, 255),
                s.choice("master_down", MASTER_DOWN),
                s.has("password") || s.has("password_file"),
                password(s));
    }

    private byte[] password(YamlSection s) {
        boolean literal = s.has("password");
        boolean file = s.has("password_file");
        if (literal && file) {
            problems.error(s.node("password_file"), s.field("password_file"), "set either password or password_file, not both");
            return null;
        }
        if (literal) {
            String text = s.string("password");
            if (text == null) {
                return null;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                problems.warning(s.node("password"), s.field("password"),
                        "empty password: adverts are authenticated with an all-zero key, like BSD without 'pass'");
            }
            warnIfTruncated(bytes, "password", s, "password");
            return bytes;
        }
        if (file) {
            Path path = s.absolutePath("password_file");
            byte[] bytes = path == null ? null : SecretFile.read(path, s.node("password_file"), s.field("password_file"), problems);
            if (bytes != null) {
                warnIfTruncated(bytes, "password in " + path, s, "password_file");
            }
            return bytes;
        }
        return null;
    }

    private void warnIfTruncated(byte[] password, String what, YamlSection s, String key) {
        if (password.length > CarpAuth.SIGNIFICANT_PASSWORD_BYTES) {
            problems.warning(s.node(key), s.field(key), what + " is " + password.length + " bytes; only the first "
                    + CarpAuth.SIGNIFICANT_PASSWORD_BYTES + " count (BSD ifconfig truncates it the same way)");
        }
    }

    private String interfaceName(YamlSection s) {
        String name = s.string("interface");
        if (!s.has("interface")) {
            problems.error(s.self(), s.field("interface"), "missing (the interface the VIPs live on)");
            return null;
        }
        if (name != null && !InterfaceName.isValid(name)) {
            problems.error(s.node("interface"), s.field("interface"), "'" + name + "' is not a valid Linux interface name");
            return null;
        }
        return name;
    }

    private List<IpPrefix> addresses(YamlSection s, String iface) {
        List<Node> items = s.list("addresses", "[192.0.2.1/24]");
        if (items == null) {
            if (!s.has("addresses")) {
                problems.error(s.self(), s.field("addresses"), "no addresses: list at least one VIP with its prefix length");
            }
            return null;
        }
        if (items.isEmpty()) {
            problems.error(s.node("addresses"), s.field("addresses"), "no addresses: list at least one VIP with its prefix length");
            return null;
        }
        List<IpPrefix> result = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String field = s.field("addresses") + "[" + i + "]";
            IpPrefix vip = vip(item, field);
            if (vip == null) {
                ok = false;
                continue;
            }
            String first = seenAddresses.putIfAbsent(vip.address(), field + " (line " + (item.getStartMark().getLine() + 1) + ")");
            if (first != null) {
                problems.error(item, field, IpLiteral.format(vip.address()) + " is already used by " + first);
                ok = false;
                continue;
            }
            result.add(vip);
        }
        if (ok && iface != null) {
            warnOutsideSubnets(iface, result, items, s.field("addresses"));
        }
        return ok ? result : null;
    }

    private IpPrefix vip(Node item, String field) {
        String text = YamlSection.scalarItem(item, field, problems);
        if (text == null) {
            return null;
        }
        IpPrefix vip;
        try {
            vip = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(item, field, e.getMessage());
            return null;
        }
        InetAddress a = vip.address();
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
            problems.error(item, field, IpLiteral.format(a) + " cannot be a virtual address (unspecified, loopback or multicast)");
            return null;
        }
        return vip;
    }

    /** Warns for VIPs no subnet of the interface covers: ARP/ND for them would not be answered as expected. */
    private void warnOutsideSubnets(String iface, List<IpPrefix> vips, List<Node> items, String field) {
        interfaces.of(iface).ifPresent(onIface -> {
            // The MASTER holds the VIPs themselves on the interface; they must not vouch for their own subnet.
            Set<InetAddress> own = vips.stream().map(IpPrefix::address).collect(Collectors.toSet());
            List<IpPrefix> subnets = onIface.stream().filter(p -> !own.contains(p.address())).toList();
            for (int i = 0; i < vips.size(); i++) {
                InetAddress a = vips.get(i).address();
                if (subnets.stream().noneMatch(p -> p.contains(a))) {
                    problems.warning(items.get(i), field + "[" + i + "]", IpLiteral.format(a) + " is outside every subnet of "
                            + iface + " " + subnets.stream().map(IpPrefix::toString).toList());
                }
            }
        });
    }

    private List<InetAddress> peers(YamlSection s, List<IpPrefix> addresses) {
        List<Node> items = s.list("peers", "[192.0.2.2]");
        if (items == null) {
            return s.has("peers") ? null : List.of();
        }
        Set<Family> families = addresses == null ? EnumSet.allOf(Family.class)
                : addresses.stream().map(IpPrefix::family).collect(Collectors.toCollection(() -> EnumSet.noneOf(Family.class)));
        Set<InetAddress> result = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String field = s.field("peers") + "[" + i + "]";
            InetAddress peer = peer(item, field, families);
            if (peer == null) {
                ok = false;
            } else if (addresses != null && addresses.stream().anyMatch(p -> p.address().equals(peer))) {
                problems.error(item, field, IpLiteral.format(peer) + " is a virtual address of this vhid, not a peer");
                ok = false;
            } else {
                result.add(peer);
            }
        }
        return ok ? List.copyOf(result) : null;
    }

    private InetAddress peer(Node item, String field, Set<Family> families) {
        String text = YamlSection.scalarItem(item, field, problems);
        if (text == null) {
            return null;
        }
        InetAddress peer;
        try {
            peer = IpLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(item, field, e.getMessage());
            return null;
        }
        if (peer.isMulticastAddress() || peer.isAnyLocalAddress() || peer.isLoopbackAddress()) {
            problems.error(item, field, IpLiteral.format(peer) + " is not a unicast address");
            return null;
        }
        Family family = IpLiteral.family(peer);
        if (!families.contains(family)) {
            problems.error(item, field, "peer " + IpLiteral.format(peer) + " is " + (family == Family.INET ? "IPv4" : "IPv6")
                    + " but this vhid has no " + (family == Family.INET ? "IPv4" : "IPv6") + " address");
            return null;
        }
        return peer;
    }

    private Set<String> groups(YamlSection s) {
        List<Node> items = s.list("groups", "[uplink]");
        if (items == null) {
            return s.has("groups") ? null : Set.of();
        }
        Set<String> result = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String field = s.field("groups") + "[" + i + "]";
            String name = YamlSection.scalarItem(items.get(i), field, problems);
            if (name == null) {
                ok = false;
            } else if (!NAME.matcher(name).matches()) {
                problems.error(items.get(i), field, "'" + name + "' is not a valid group name (letters, digits, '_', '.', '-')");
                ok = false;
            } else if (!name.equals(Demotion.CARP_GROUP)) {
                result.add(name);
            }
        }
        return ok ? result : null;
    }
}
