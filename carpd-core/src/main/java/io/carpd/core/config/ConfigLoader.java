package io.carpd.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates a carpd YAML file. All problems of a file are collected in one pass; the
 * file loads only when none of them is an error.
 */
public final class ConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/carpd/carpd.yaml");

    private static final Map<String, MacMode> MAC_MODES = Arrays.stream(MacMode.values())
            .collect(Collectors.toUnmodifiableMap(MacMode::yamlName, m -> m));
    private static final Path HOSTNAME_FILE = Path.of("/proc/sys/kernel/hostname");

    private final InterfaceAddresses interfaces;
    private final Supplier<String> hostname;

    /**
     * @param interfaces addresses of this host's interfaces, for the VIP-outside-subnet warning
     * @param hostname   node name used when the file sets none; may return null when unknown
     */
    public ConfigLoader(InterfaceAddresses interfaces, Supplier<String> hostname) {
        this.interfaces = interfaces;
        this.hostname = hostname;
    }

    /** No interface lookup, node name from the kernel's host name. */
    public static ConfigLoader standard() {
        return new ConfigLoader(InterfaceAddresses.unknown(), ConfigLoader::systemHostname);
    }

    public static LoadedConfig load(Path file) throws ConfigException {
        return standard().read(file);
    }

    /** Parses YAML text; {@code nameForMessages} is the file name printed in problems. */
    public static LoadedConfig loadString(String yaml, Path nameForMessages) throws ConfigException {
        return standard().readString(yaml, nameForMessages);
    }

    public LoadedConfig read(Path file) throws ConfigException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            Problems problems = new Problems(file);
            problems.fileError("cannot read: " + SecretFile.reason(e));
            throw new ConfigException(problems.all());
        }
        return readString(text, file);
    }

    public LoadedConfig readString(String yaml, Path nameForMessages) throws ConfigException {
        Problems problems = new Problems(nameForMessages);
        CarpdConfig config = parse(yaml, problems);
        if (problems.hasErrors() || config == null) {
            throw new ConfigException(problems.all());
        }
        return new LoadedConfig(config, problems.warnings());
    }

    /** The short host name (up to the first dot), or null when the kernel's cannot be read. */
    public static String systemHostname() {
        try {
            String name = Files.readString(HOSTNAME_FILE).strip();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name.isEmpty() ? null : name;
        } catch (IOException e) {
            return System.getenv("HOSTNAME");
        }
    }

    private CarpdConfig parse(String yaml, Problems problems) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            problems.error(e.getProblemMark(), "", "YAML syntax: " + e.getProblem()
                    + (e.getContext() != null ? " " + e.getContext() : ""));
            return null;
        } catch (YAMLException e) {
            problems.fileError("YAML syntax: " + e.getMessage());
            return null;
        }
        if (root == null) {
            problems.fileError("the file is empty; it needs at least node and vhids");
            return null;
        }
        YamlSection top = YamlSection.of(root, "", ConfigKeys.TOP, problems);
        if (top == null) {
            return null;
        }
        String node = nodeName(top, problems);
        Path runtimeDir = orDefault(top.absolutePath("runtime_dir"), Path.of("/run/carpd"));
        Path stateDir = orDefault(top.absolutePath("state_dir"), Path.of("/var/lib/carpd"));
        MacMode macMode = orDefault(top.choice("mac_mode", MAC_MODES), MacMode.INTERFACE);
        AnnounceConfig announce = announce(top.section("announce", ConfigKeys.ANNOUNCE));

        VhidReader vhids = new VhidReader(problems, interfaces);
        YamlSection defaults = top.section("defaults", ConfigKeys.DEFAULTS);
        if (defaults != null) {
            vhids.readDefaults(defaults);
        }
        List<Node> items = top.list("vhids", "[{vhid: 1, interface: lan, addresses: [192.0.2.1/24]}]");
        if (items == null && !top.has("vhids")) {
            problems.error(top.self(), "vhids", "missing: configure at least one virtual host");
        } else if (items != null && items.isEmpty()) {
            problems.error(top.node("vhids"), "vhids", "empty: configure at least one virtual host");
        }
        List<VhidConfig> vhidConfigs = items == null ? List.of() : vhids.readVhids(items);

        ApiConfig api = api(top.section("api", ConfigKeys.API), runtimeDir, problems);
        HooksConfig hooks = hooks(top.section("hooks", ConfigKeys.HOOKS), problems);
        SyncConfig sync = sync(top.section("sync", ConfigKeys.SYNC), problems);
        YamlSection cs = top.section("config_sync", ConfigKeys.CONFIG_SYNC);
        ConfigSyncConfig configSync = cs == null ? null : ConfigSyncReader.read(cs, sync != null || top.has("sync"), problems);
        if (configSync != null && configSync.vhids() != null && !configSync.vhids().send()) {
            vhidConfigs = withReceivedVhids(vhidConfigs, configSync.vhids(), cs, problems);
        }
        return new CarpdConfig(node, runtimeDir, stateDir, macMode, announce, vhidConfigs, api, hooks, sync, configSync);
    }

    private String nodeName(YamlSection top, Problems problems) {
        String node = top.string("node");
        if (node == null) {
            if (top.has("node")) {
                return null;
            }
            node = hostname.get();
            if (node == null) {
                problems.error(top.self(), "node", "missing, and the host name cannot be read to default it");
                return null;
            }
        }
        if (!VhidReader.NAME.matcher(node).matches()) {
            problems.error(top.at("node"), "node", "'" + node + "' is not a valid node name (letters, digits, '_', '.', '-'; at most 63)");
            return null;
        }
        return node;
    }

    private static AnnounceConfig announce(YamlSection s) {
        if (s == null) {
            return AnnounceConfig.DEFAULT;
        }
        Integer count = s.integer("count", 0, 100);
        Integer intervalMs = s.integer("interval_ms", 1, 60_000);
        Integer refreshS = s.integer("refresh_s", 0, 86_400);
        AnnounceConfig d = AnnounceConfig.DEFAULT;
        return new AnnounceConfig(
                count != null ? count : d.count(),
                intervalMs != null ? Duration.ofMillis(intervalMs) : d.interval(),
                refreshS != null ? Duration.ofSeconds(refreshS) : d.refresh());
    }

    private static ApiConfig api(YamlSection s, Path runtimeDir, Problems problems) {
        Path defaultSocket = runtimeDir.resolve("carpd.sock");
        if (s == null) {
            return new ApiConfig(defaultSocket, null, null);
        }
        Path socket = orDefault(s.absolutePath("socket"), defaultSocket);
        String group = s.string("socket_group");
        YamlSection tcp = s.section("tcp", ConfigKeys.TCP);
        return new ApiConfig(socket, group, tcp == null ? null : tcp(tcp, problems));
    }

    private static TcpListenerConfig tcp(YamlSection s, Problems problems) {
        InetAddress bind = orDefault(s.address("bind"), InetAddress.getLoopbackAddress());
        int port = orDefault(s.integer("port", 1, 65_535), 8118);
        Path tokenFile = s.absolutePath("token_file");
        if (tokenFile != null) {
            SecretFile.read(tokenFile, s.node("token_file"), s.field("token_file"), problems);
        } else if (!s.has("token_file") && !bind.isLoopbackAddress()) {
            problems.error(s.at("bind"), s.field("bind"), "listening on " + IpLiteral.format(bind)
                    + " without token_file would let anyone who reaches the port change CARP state; set token_file or bind to loopback");
        }
        return new TcpListenerConfig(bind, port, tokenFile);
    }

    private static HooksConfig hooks(YamlSection s, Problems problems) {
        if (s == null) {
            return null;
        }
        Path dir = orDefault(s.absolutePath("dir"), Path.of("/etc/carpd/hooks.d"));
        int timeout = orDefault(s.integer("timeout_s", 1, 3600), 10);
        return new HooksConfig(dir, Duration.ofSeconds(timeout), hookCommands(s, problems));
    }

    /** Absolute, distinct paths; one not (yet) executable is a warning since it may be installed later. */
    private static List<Path> hookCommands(YamlSection s, Problems problems) {
        List<Path> commands = new ArrayList<>();
        Map<Path, Integer> listedAt = new HashMap<>();
        List<Node> items = orDefault(s.list("commands", "[/usr/local/libexec/carpd-notify]"), List.of());
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String field = s.field("commands") + "[" + i + "]";
            String text = YamlSection.scalarItem(item, field, problems);
            Path command = text == null ? null : YamlSection.absolutePath(text, item, field, problems);
            if (command == null) {
                continue;
            }
            Integer first = listedAt.putIfAbsent(command, i);
            if (first != null) {
                problems.error(item, field, command + " is already listed at commands[" + first + "]; it would run twice");
                continue;
            }
            if (!Files.isRegularFile(command) || !Files.isExecutable(command)) {
                problems.warning(item, field, command + " is not an executable file; it is skipped until it is one");
            }
            commands.add(command);
        }
        return commands;
    }

    private SyncConfig sync(YamlSection s, Problems problems) {
        if (s == null) {
            return null;
        }
        String iface = syncInterface(s, problems);
        InetAddress local = s.address("local");
        InetAddress peer = s.address("peer");
        int port = orDefault(s.integer("port", 1, 65_535), 8372);
        Path keyFile = s.absolutePath("key_file");
        int bulkTimeout = orDefault(s.integer("bulk_timeout_s", 1, 3600), 30);
        int demotion = orDefault(s.integer("demotion", 0, 255), 32);
        for (String required : List.of("interface", "local", "peer", "key_file")) {
            if (!s.has(required)) {
                problems.error(s.self(), s.field(required), "missing (sync needs interface, local, peer and key_file)");
            }
        }
        if (keyFile != null) {
            SecretFile.read(keyFile, s.node("key_file"), s.field("key_file"), problems);
        }
        if (local != null && peer != null) {
            if (IpLiteral.family(local) != IpLiteral.family(peer)) {
                problems.error(s.node("peer"), s.field("peer"), "peer " + IpLiteral.format(peer)
                        + " is not of the same address family as local " + IpLiteral.format(local));
            } else if (local.equals(peer)) {
                problems.error(s.node("peer"), s.field("peer"), "peer and local are the same address");
            }
        }
        if (iface != null && local != null) {
            interfaces.of(iface).ifPresent(onIface -> {
                if (onIface.stream().noneMatch(p -> p.address().equals(local))) {
                    problems.warning(s.node("local"), s.field("local"), IpLiteral.format(local) + " is not an address of " + iface);
                }
            });
        }
        if (iface == null || local == null || peer == null || keyFile == null) {
            return null;
        }
        return new SyncConfig(iface, local, peer, port, keyFile, Duration.ofSeconds(bulkTimeout), demotion);
    }

    /** Lays the VHID definitions received from the peer over ours; a broken file is an error at config_sync.vhids. */
    private static List<VhidConfig> withReceivedVhids(List<VhidConfig> own, ConfigSyncConfig.VhidSync rule, YamlSection cs,
                                                      Problems problems) {
        Node at = cs.at("vhids");
        try {
            VhidOverlay overlay = VhidOverlay.read(rule.file());
            if (overlay == null) {
                return own;
            }
            List<String> warnings = new ArrayList<>();
            List<VhidConfig> merged = overlay.applyTo(own, warnings);
            warnings.forEach(w -> problems.warning(at, "config_sync.vhids", w));
            return merged;
        } catch (ConfigException e) {
            problems.error(at, "config_sync.vhids.file", rule.file() + " cannot be used: " + e.getProblems().getFirst());
            return own;
        }
    }

    /** The sync interface's name, or null when absent or not a valid Linux name (reported). */
    private static String syncInterface(YamlSection s, Problems problems) {
        String iface = s.string("interface");
        if (iface != null && !InterfaceName.isValid(iface)) {
            problems.error(s.node("interface"), s.field("interface"), "'" + iface + "' is not a valid Linux interface name");
            return null;
        }
        return iface;
    }

    static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
