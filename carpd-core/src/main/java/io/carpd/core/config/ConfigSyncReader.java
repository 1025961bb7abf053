package io.carpd.core.config;

import io.carpd.core.config.ConfigSyncConfig.SyncedFile;
import io.carpd.core.config.ConfigSyncConfig.VhidSync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code config_sync:} section; every problem names the entry and key it is about. */
final class ConfigSyncReader {
    /** Section names travel on the wire and name history files: keep them plain. */
    static final Pattern SECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    private ConfigSyncReader() {
    }

    static ConfigSyncConfig read(YamlSection s, boolean syncConfigured, Problems problems) {
        if (!syncConfigured) {
            problems.error(s.self(), "config_sync", "needs the sync section: config is pushed over the sync link");
        }
        boolean afterReload = ConfigLoader.orDefault(s.bool("after_reload"), false);
        int keep = ConfigLoader.orDefault(s.integer("keep_versions", 1, 100), 5);
        int transferTimeout = ConfigLoader.orDefault(s.integer("transfer_timeout_s", 1, 3600), 10);
        int commandTimeout = ConfigLoader.orDefault(s.integer("command_timeout_s", 1, 3600), 30);
        int rate = ConfigLoader.orDefault(s.integer("rate_limit_kibps", 0, 10_000_000), 0);
        VhidSync vhids = vhids(s.section("vhids", ConfigKeys.CONFIG_SYNC_VHIDS), problems);
        List<SyncedFile> files = files(s, vhids, problems);
        if (!s.has("vhids") && files.isEmpty() && !s.has("files")) {
            problems.warning(s.self(), "config_sync", "neither vhids nor files are configured: nothing would be synced");
        }
        return new ConfigSyncConfig(afterReload, keep, Duration.ofSeconds(transferTimeout),
                Duration.ofSeconds(commandTimeout), rate, vhids, files);
    }

    private static VhidSync vhids(YamlSection v, Problems problems) {
        if (v == null) {
            return null;
        }
        Boolean send = v.choice("role", Map.of("send", true, "receive", false));
        int offset = ConfigLoader.orDefault(v.integer("advskew_offset", 0, 254), 100);
        Path file = v.absolutePath("file");
        if (send == null) {
            if (!v.has("role")) {
                problems.error(v.self(), v.field("role"), "missing: send (this node's VHIDs go to the peer) or receive");
            }
            return null;
        }
        if (send && v.has("file")) {
            problems.error(v.node("file"), v.field("file"), "only a node with role receive keeps received VHID definitions");
            return null;
        }
        if (!send && v.has("advskew_offset")) {
            problems.error(v.node("advskew_offset"), v.field("advskew_offset"), "applies on the sending node (role send)");
            return null;
        }
        if (!send && file == null) {
            if (!v.has("file")) {
                problems.error(v.self(), v.field("file"), "missing: where this node keeps the VHID definitions it receives");
            }
            return null;
        }
        return new VhidSync(send, offset, file);
    }

    private static List<SyncedFile> files(YamlSection s, VhidSync vhids, Problems problems) {
        List<SyncedFile> out = new ArrayList<>();
        List<Node> items = s.list("files", "[{name: nftables, path: /etc/nftables.conf}]");
        if (items == null) {
            return out;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<Path, Integer> paths = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String at = s.field("files") + "[" + i + "]";
            YamlSection f = YamlSection.of(items.get(i), at, ConfigKeys.CONFIG_SYNC_FILE, problems);
            if (f == null) {
                continue;
            }
            String name = f.string("name");
            Path path = f.absolutePath("path");
            boolean sync = ConfigLoader.orDefault(f.bool("sync"), true);
            String validate = command(f, "validate", problems);
            String apply = command(f, "apply", problems);
            for (String required : List.of("name", "path")) {
                if (!f.has(required)) {
                    problems.error(f.self(), f.field(required), "missing (each file needs name and path)");
                }
            }
            if (name != null && !SECTION_NAME.matcher(name).matches()) {
                problems.error(f.at("name"), f.field("name"), "'" + name
                        + "' is not a valid section name (lower-case letters, digits, '_', '.', '-'; at most 63)");
                name = null;
            } else if (name != null && name.equals(VhidSync.SECTION)) {
                problems.error(f.at("name"), f.field("name"), "'vhids' is reserved for carpd's own VHID definitions");
                name = null;
            } else if (name != null && names.containsKey(name)) {
                problems.error(f.at("name"), f.field("name"), "duplicate name '" + name + "' (first used by files["
                        + names.get(name) + "])");
                name = null;
            }
            if (path != null) {
                Integer first = paths.putIfAbsent(path, i);
                if (first != null) {
                    problems.error(f.at("path"), f.field("path"), path + " is already synced as files[" + first + "]");
                    path = null;
                } else if (vhids != null && path.equals(vhids.file())) {
                    problems.error(f.at("path"), f.field("path"), path + " is config_sync.vhids.file; carpd writes it itself");
                    path = null;
                }
            }
            if (name != null) {
                names.put(name, i);
            }
            if (name != null && path != null) {
                out.add(new SyncedFile(name, path, sync, validate, apply));
            }
        }
        return out;
    }

    private static String command(YamlSection f, String key, Problems problems) {
        String c = f.string(key);
        if (c != null && c.isBlank()) {
            problems.error(f.at(key), f.field(key), "empty command; leave the key out instead");
            return null;
        }
        return c;
    }
}
