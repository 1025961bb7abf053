package io.carpd.core.config;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The keys each section of the YAML file accepts; anything else is reported as unknown. */
final class ConfigKeys {
    static final Set<String> TOP = Set.of("node", "runtime_dir", "state_dir", "mac_mode", "announce",
            "defaults", "vhids", "api", "hooks", "sync");
    static final Set<String> ANNOUNCE = Set.of("count", "interval_ms", "refresh_s");
    static final Set<String> DEFAULTS =
            Set.of("advbase", "advskew", "preempt", "dead_ratio", "master_down", "password", "password_file");
    static final Set<String> VHID = union(DEFAULTS, Set.of("vhid", "interface", "addresses", "groups", "peers"));
    static final Set<String> API = Set.of("socket", "socket_group", "tcp");
    static final Set<String> TCP = Set.of("bind", "port", "token_file");
    static final Set<String> HOOKS = Set.of("dir", "timeout_s");
    static final Set<String> SYNC = Set.of("interface", "local", "peer", "port", "key_file", "bulk_timeout_s", "demotion");
    static final Set<String> ALL = Stream.of(TOP, ANNOUNCE, VHID, API, TCP, HOOKS, SYNC)
            .flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));

    private ConfigKeys() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
