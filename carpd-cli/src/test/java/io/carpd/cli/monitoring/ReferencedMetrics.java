package io.carpd.cli.monitoring;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The metric names the dashboard and the alert rules read, checked against real expositions. Sync
 * metrics ({@link #SYNC_ONLY}) exist only on a daemon with a {@code sync:} section, config-sync
 * metrics ({@link #CONFIG_SYNC_ONLY}) only with {@code config_sync:} too: the plain pair of
 * {@link PrometheusNamespaceTest} checks the others, a lab with state sync (SplitBrainNetnsTest)
 * the sync ones, the config-sync lab (ConfigSyncNetnsTest) the config-sync ones.
 */
public final class ReferencedMetrics {
    /** Metrics a daemon exports only with state sync configured. */
    public static final Predicate<String> SYNC_ONLY = n -> n.startsWith("carpd_sync_") || n.startsWith("carpd_split_brain");
    /** Metrics a daemon exports only with config sync configured. */
    public static final Predicate<String> CONFIG_SYNC_ONLY = n -> n.startsWith("carpd_config_sync");

    private ReferencedMetrics() {
    }

    /** Referenced names matching {@code scope}, each with where it is read. */
    public static Map<String, Set<String>> referenced(Predicate<String> scope) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String q : MonitoringFiles.dashboardQueries()) {
            for (String name : PromQl.metricNames(q)) {
                if (scope.test(name)) out.computeIfAbsent(name, k -> new TreeSet<>()).add("dashboard: " + q);
            }
        }
        MonitoringFiles.ruleExpressions().forEach((alert, expr) -> {
            for (String name : PromQl.metricNames(expr)) {
                if (scope.test(name)) out.computeIfAbsent(name, k -> new TreeSet<>()).add("rule " + alert);
            }
        });
        return out;
    }

    /** Referenced names matching {@code scope} that none of {@code expositions} (or {@code synthetic}) has. */
    public static Map<String, Set<String>> missing(Predicate<String> scope, Set<String> synthetic, String... expositions) {
        Set<String> exported = new TreeSet<>(synthetic);
        for (String text : expositions) {
            exported.addAll(Exposition.sampleNames(text));
        }
        Map<String, Set<String>> missing = referenced(scope);
        missing.keySet().removeAll(exported);
        return missing;
    }
}
