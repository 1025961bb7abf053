package io.carpd.core.config;

import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping with a fixed set of keys. Typed getters report wrong types and out-of-range
 * values at the value's position and return null, so the caller carries on with the next key.
 * Keys with a null value ({@code key:}, {@code key: null}) count as absent.
 */
final class YamlSection {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Map<String, Boolean> BOOLEANS = Map.of(
            "true", true, "yes", true, "on", true, "false", false, "no", false, "off", false);

    private final Node self;
    private final String path;
    private final Problems problems;
    private final Map<String, Node> values = new LinkedHashMap<>();

    /** Reports unknown and duplicate keys right away. */
    YamlSection(MappingNode mapping, String path, Set<String> known, Problems problems) {
        this.self = mapping;
        this.path = path;
        this.problems = problems;
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problems.error(t.getKeyNode(), path, "keys must be plain names");
                continue;
            }
            String key = k.getValue();
            if (!known.contains(key)) {
                problems.error(k, field(key), "unknown key" + hint(key, known));
            } else if (values.containsKey(key)) {
                Node first = values.get(key);
                problems.error(k, field(key), "duplicate key (first set on line " + (first.getStartMark().getLine() + 1) + ")");
            } else {
                values.put(key, t.getValueNode());
            }
        }
    }

    /** A section for a mapping-valued node, or null (reported) when it is no mapping. */
    static YamlSection of(Node node, String path, Set<String> known, Problems problems) {
        if (node instanceof MappingNode m) {
            return new YamlSection(m, path, known, problems);
        }
        problems.error(node, path, "expected a mapping of " + String.join(", ", known.stream().sorted().toList())
                + ", got " + describe(node));
        return null;
    }

    Node self() {
        return self;
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return node(key) != null;
    }

    /** The value node, or null when absent or null-valued. */
    Node node(String key) {
        Node n = values.get(key);
        return n == null || isNull(n) ? null : n;
    }

    /** The value node if present, else this mapping: where to point at a missing or derived value. */
    Node at(String key) {
        Node n = node(key);
        return n == null ? self : n;
    }

    String string(String key) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        problems.error(n, field(key), "expected a string, got " + describe(n));
        return null;
    }

    Integer integer(String key, int min, int max) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof ScalarNode s) || !INTEGER.matcher(s.getValue().strip()).matches()) {
            problems.error(n, field(key), "expected an integer, got " + describe(n));
            return null;
        }
        long v;
        try {
            v = Long.parseLong(s.getValue().strip());
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v < min || v > max) {
            problems.error(n, field(key), s.getValue().strip() + " is out of range " + min + ".." + max);
            return null;
        }
        return (int) v;
    }

    Boolean bool(String key) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        Boolean b = n instanceof ScalarNode s ? BOOLEANS.get(s.getValue().strip().toLowerCase(Locale.ROOT)) : null;
        if (b == null) {
            problems.error(n, field(key), "expected true or false, got " + describe(n));
        }
        return b;
    }

    /** One of {@code choices} (YAML spelling → value), or null (reported). */
    <E> E choice(String key, Map<String, E> choices) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        E e = choices.get(s.strip());
        if (e == null) {
            problems.error(node(key), field(key), "unknown value '" + s + "'; expected one of "
                    + String.join(", ", choices.keySet().stream().sorted().toList()));
        }
        return e;
    }

    Path absolutePath(String key) {
        String s = string(key);
        return s == null ? null : absolutePath(s, node(key), field(key), problems);
    }

    /** {@code text} as a normalized absolute path, or null (reported at {@code at}). */
    static Path absolutePath(String text, Node at, String field, Problems problems) {
        try {
            Path p = Path.of(text);
            if (!p.isAbsolute()) {
                problems.error(at, field, "must be an absolute path, got '" + text + "'");
                return null;
            }
            return p.normalize();
        } catch (InvalidPathException e) {
            problems.error(at, field, "invalid path '" + text + "': " + e.getReason());
            return null;
        }
    }

    InetAddress address(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return IpLiteral.parse(s);
        } catch (IllegalArgumentException e) {
            problems.error(node(key), field(key), e.getMessage());
            return null;
        }
    }

    YamlSection section(String key, Set<String> known) {
        Node n = node(key);
        return n == null ? null : of(n, field(key), known, problems);
    }

    /** Items of a sequence, or null when absent or not a sequence (reported). */
    List<Node> list(String key, String example) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problems.error(n, field(key), "expected a list like " + example + ", got " + describe(n));
        return null;
    }

    /** A scalar item of a list, or null (reported). */
    static String scalarItem(Node item, String itemField, Problems problems) {
        if (item instanceof ScalarNode s && !isNull(s)) {
            return s.getValue();
        }
        problems.error(item, itemField, "expected a single value, got " + describe(item));
        return null;
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static String describe(Node n) {
        return switch (n) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s when isNull(s) -> "nothing";
            case ScalarNode s -> "'" + s.getValue() + "'";
            default -> n.getNodeId().name();
        };
    }

    /** " (did you mean 'x'?)" for a likely typo, else where the key belongs if it is misplaced. */
    private static String hint(String key, Collection<String> known) {
        String typo = suggestion(key, known);
        if (!typo.isEmpty()) {
            return typo;
        }
        String elsewhere = ConfigKeys.sectionsOf(key);
        return elsewhere.isEmpty() ? "" : " (allowed in " + elsewhere + ")";
    }

    /** " (did you mean 'x'?)" for the closest known key, if it is close enough to be a typo. */
    private static String suggestion(String key, Collection<String> known) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(k, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int tolerance = Math.max(2, key.length() / 3);
        return best != null && bestDistance <= tolerance ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
