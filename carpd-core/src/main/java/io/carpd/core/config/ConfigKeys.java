package io.carpd.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The keys each section of the YAML file accepts; anything else is reported as unknown. */
final class ConfigKeys {
    static final Set<String> TOP = Set.of("node", "runtime_dir", "state_dir", "mac_mode", "announce",
            "defaults", "vhids", "api", "hooks", "sync", "config_sync");
    static final Set<String> ANNOUNCE = Set.of("count", "interval_ms", "refresh_s");
    static final Set<String> DEFAULTS =
            Set.of("advbase", "advskew", "preempt", "dead_ratio", "master_down", "password", "password_file");
    static final Set<String> VHID = union(DEFAULTS, Set.of("vhid", "interface", "addresses", "groups", "peers"));
    static final Set<String> API = Set.of("socket", "socket_group", "tcp");
    static final Set<String> TCP = Set.of("bind", "port", "token_file");
    static final Set<String> HOOKS = Set.of("dir", "timeout_s", "commands");
    static final Set<String> SYNC = Set.of("interface", "local", "peer", "port", "key_file", "bulk_timeout_s", "demotion");
    static final Set<String> CONFIG_SYNC = Set.of("after_reload", "keep_versions", "transfer_timeout_s",
            "command_timeout_s", "rate_limit_kibps", "vhids", "files");
    static final Set<String> CONFIG_SYNC_VHIDS = Set.of("role", "advskew_offset", "file");
    static final Set<String> VHID_OVERLAY = Set.of("vhid", "advbase", "advskew", "preempt", "dead_ratio", "master_down",
            "addresses", "groups");
    static final Set<String> CONFIG_SYNC_FILE = Set.of("name", "path", "sync", "validate", "apply");
    /** Section names as an operator reads them, in file order. */
    private static final Map<String, Set<String>> SECTIONS = sections();
    static final Set<String> ALL = SECTIONS.values().stream()
            .flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));

    private ConfigKeys() {
    }

    /** Where a key misplaced in another section belongs, e.g. "defaults, vhids entries"; empty if nowhere. */
    static String sectionsOf(String key) {
        return SECTIONS.entrySet().stream().filter(e -> e.getValue().contains(key)).map(Map.Entry::getKey)
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Set<String>> sections() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("the top level", TOP);
        m.put("announce", ANNOUNCE);
        m.put("defaults", DEFAULTS);
        m.put("vhids entries", VHID);
        m.put("api", API);
        m.put("api.tcp", TCP);
        m.put("hooks", HOOKS);
        m.put("sync", SYNC);
        m.put("config_sync", CONFIG_SYNC);
        m.put("config_sync.vhids", CONFIG_SYNC_VHIDS);
        m.put("config_sync.files entries", CONFIG_SYNC_FILE);
        return m;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
