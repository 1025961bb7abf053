package io.carpd.core.config;

import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * VHID definitions as config sync carries them: what the sending node's {@code vhids} entries say
 * about timers, preemption, addresses and groups (advskew already derived for the receiver), keyed
 * by VHID number. Interface names, unicast peers and passwords are node-local and never in it.
 */
public record VhidOverlay(String from, Map<Integer, Entry> entries) {
    private static final Map<MasterDownFormula, String> MASTER_DOWN_NAMES =
            Map.of(MasterDownFormula.CLASSIC, "classic", MasterDownFormula.OPENBSD_CURRENT, "openbsd-current");

    public VhidOverlay {
        entries = Map.copyOf(entries);
    }

    public record Entry(int vhid, int advbase, int advskew, boolean preempt, int deadRatio, MasterDownFormula masterDown,
                        List<IpPrefix> addresses, Set<String> groups) {}

    /** The sender's side: its VHIDs with the advskew the peer should run with. */
    public static String render(String node, List<VhidConfig> vhids, ConfigSyncConfig.VhidSync rule) {
        StringBuilder y = new StringBuilder();
        y.append("# carpd config sync: VHID definitions from ").append(node).append(" (advskew +")
                .append(rule.advskewOffset()).append(", capped at ").append(ConfigSyncConfig.VhidSync.MAX_ADVSKEW)
                .append(").\n# Written by carpd; the next sync replaces it.\nfrom: ").append(node).append("\nvhids:\n");
        vhids.stream().sorted(java.util.Comparator.comparingInt(VhidConfig::vhid)).forEach(v -> {
            y.append("  - vhid: ").append(v.vhid()).append('\n');
            y.append("    advbase: ").append(v.advbase()).append('\n');
            y.append("    advskew: ").append(rule.peerAdvskew(v.advskew())).append('\n');
            y.append("    preempt: ").append(v.preempt()).append('\n');
            y.append("    dead_ratio: ").append(v.deadRatio()).append('\n');
            y.append("    master_down: ").append(MASTER_DOWN_NAMES.get(v.masterDown())).append('\n');
            y.append("    addresses: [").append(String.join(", ", v.addresses().stream().map(p -> "\"" + p + "\"").toList())).append("]\n");
            y.append("    groups: [").append(String.join(", ", new TreeSet<>(v.groups()))).append("]\n");
        });
        return y.toString();
    }

    /** Reads a received file; null when it does not exist (nothing received yet). */
    public static VhidOverlay read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            Problems p = new Problems(file);
            p.fileError("cannot read: " + e.getMessage());
            throw new ConfigException(p.all());
        }
        return parse(text, file);
    }

    public static VhidOverlay parse(String text, Path nameForMessages) throws ConfigException {
        Problems problems = new Problems(nameForMessages);
        VhidOverlay o = parse(text, problems);
        if (problems.hasErrors() || o == null) {
            throw new ConfigException(problems.all());
        }
        return o;
    }

    private static VhidOverlay parse(String text, Problems problems) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.error(e.getProblemMark(), "", "YAML syntax: " + e.getProblem());
            return null;
        } catch (YAMLException e) {
            problems.fileError("YAML syntax: " + e.getMessage());
            return null;
        }
        if (root == null) {
            problems.fileError("empty");
            return null;
        }
        YamlSection top = YamlSection.of(root, "", Set.of("from", "vhids"), problems);
        if (top == null) {
            return null;
        }
        String from = ConfigLoader.orDefault(top.string("from"), "?");
        Map<Integer, Entry> entries = new LinkedHashMap<>();
        List<Node> items = ConfigLoader.orDefault(top.list("vhids", "[{vhid: 1, ...}]"), List.of());
        for (int i = 0; i < items.size(); i++) {
            YamlSection s = YamlSection.of(items.get(i), "vhids[" + i + "]", ConfigKeys.VHID_OVERLAY, problems);
            if (s == null) {
                continue;
            }
            for (String k : List.of("vhid", "advbase", "advskew", "preempt", "dead_ratio", "master_down", "addresses", "groups")) {
                if (!s.has(k)) {
                    problems.error(s.self(), s.field(k), "missing");
                }
            }
            Integer vhid = s.integer("vhid", 1, 255);
            Integer advbase = s.integer("advbase", 0, 255);
            Integer advskew = s.integer("advskew", 0, 254);
            Boolean preempt = s.bool("preempt");
            Integer deadRatio = s.integer("dead_ratio", 1, 255);
            MasterDownFormula md = s.choice("master_down",
                    Map.of("classic", MasterDownFormula.CLASSIC, "openbsd-current", MasterDownFormula.OPENBSD_CURRENT));
            List<IpPrefix> addresses = new ArrayList<>();
            for (Node n : ConfigLoader.orDefault(s.list("addresses", "[192.0.2.1/24]"), List.<Node>of())) {
                String t = YamlSection.scalarItem(n, s.field("addresses"), problems);
                try {
                    if (t != null) addresses.add(IpPrefix.parse(t));
                } catch (IllegalArgumentException e) {
                    problems.error(n, s.field("addresses"), e.getMessage());
                }
            }
            Set<String> groups = new TreeSet<>();
            for (Node n : ConfigLoader.orDefault(s.list("groups", "[uplink]"), List.<Node>of())) {
                String t = YamlSection.scalarItem(n, s.field("groups"), problems);
                if (t != null) groups.add(t);
            }
            if (vhid != null && entries.containsKey(vhid)) {
                problems.error(s.node("vhid"), s.field("vhid"), "vhid " + vhid + " listed twice");
            } else if (vhid != null && advbase != null && advskew != null && preempt != null && deadRatio != null && md != null) {
                entries.put(vhid, new Entry(vhid, advbase, advskew, preempt, deadRatio, md, addresses, groups));
            }
        }
        return new VhidOverlay(from, entries);
    }

    /**
     * The local entries with the synced values laid over those of the same number. Problems (a
     * number on two local interfaces, synced VHIDs without a local entry) go to {@code warnings}.
     */
    public List<VhidConfig> applyTo(List<VhidConfig> local, List<String> warnings) {
        Map<Integer, String> ifaceOf = new HashMap<>();
        Set<Integer> ambiguous = new TreeSet<>();
        for (VhidConfig v : local) {
            String prev = ifaceOf.putIfAbsent(v.vhid(), v.iface());
            if (prev != null) ambiguous.add(v.vhid());
        }
        for (int a : ambiguous) {
            if (entries.containsKey(a)) {
                warnings.add("vhid " + a + " is configured on several interfaces; its synced definition from " + from + " is ignored");
            }
        }
        for (int n : new TreeSet<>(entries.keySet())) {
            if (!ifaceOf.containsKey(n)) {
                warnings.add("vhid " + n + " synced from " + from + " has no local vhids entry (add one with its interface)");
            }
        }
        List<VhidConfig> out = new ArrayList<>();
        for (VhidConfig v : local) {
            Entry e = ambiguous.contains(v.vhid()) ? null : entries.get(v.vhid());
            out.add(e == null ? v : new VhidConfig(v.iface(), v.vhid(), e.addresses(), e.advbase(), e.advskew(), e.preempt(),
                    e.deadRatio(), e.masterDown(), v.password(), v.peers(), e.groups()));
        }
        return out;
    }
}
