package io.carpd.cli.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The monitoring files shipped in {@code config/}, and the PromQL they contain. */
final class MonitoringFiles {

    static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();
    static final Path DASHBOARD = CONFIG.resolve("grafana/carpd-dashboard.json");
    static final Path RULES = CONFIG.resolve("prometheus/carpd-rules.yml");
    static final Path SCRAPE_CONFIG = CONFIG.resolve("prometheus/prometheus.yml");
    static final Path TELEGRAF = CONFIG.resolve("telegraf/carpd.conf");

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MonitoringFiles() {}

    static JsonNode dashboard() {
        return read(JSON, DASHBOARD);
    }

    static JsonNode rules() {
        return read(YAML, RULES);
    }

    /** Every PromQL query of the dashboard: panel targets and template variable queries. */
    static List<String> dashboardQueries() {
        JsonNode d = dashboard();
        List<String> out = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            for (JsonNode target : panel.path("targets")) out.add(target.path("expr").asText());
        }
        for (JsonNode variable : d.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) out.add(variable.path("query").path("query").asText());
        }
        return out;
    }

    /** The query of the dashboard panel titled {@code title} (its first target). */
    static String panelQuery(String title) {
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("title").asText().equals(title)) return panel.path("targets").path(0).path("expr").asText();
        }
        throw new AssertionError("no panel titled '" + title + "' in " + DASHBOARD);
    }

    /** Alert (or recording rule) name → expression, in file order. */
    static Map<String, String> ruleExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.get("alert").asText() : rule.path("record").asText();
                out.put(name, rule.path("expr").asText());
            }
        }
        return out;
    }

    /**
     * A dashboard query as Prometheus can run it: Grafana's variables replaced by match-all values
     * and a fixed rate window.
     */
    static String withGrafanaVariables(String query, String rateInterval) {
        return query.replace("$__rate_interval", rateInterval).replace("$job", ".*").replace("$instance", ".*");
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }
}
