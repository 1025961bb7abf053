package io.carpd.cli.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/prometheus and config/grafana on their own: promtool checks, rule unit tests, dashboard wiring. */
class MonitoringConfigTest {

    @TempDir
    Path dir;

    @Test
    void promtoolAcceptsEveryRule() throws Exception {
        Promtool.assumeInstalled();
        Promtool.Result r = Promtool.run(dir, null, "check", "rules", MonitoringFiles.RULES.toString());
        assertThat(r.exitCode()).as("promtool check rules: %s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + MonitoringFiles.ruleExpressions().size() + " rules found");
    }

    @Test
    void promtoolAcceptsTheExampleScrapeConfigWithItsRules() throws Exception {
        Promtool.assumeInstalled();
        Files.copy(MonitoringFiles.SCRAPE_CONFIG, dir.resolve("prometheus.yml"));
        Files.copy(MonitoringFiles.RULES, dir.resolve("carpd-rules.yml"));
        Promtool.Result r = Promtool.run(dir, null, "check", "config", "prometheus.yml");
        assertThat(r.exitCode()).as("promtool check config: %s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found");
    }

    /** The alerts fire when they should and not before; see src/test/resources/monitoring/carpd-rules-test.yml. */
    @Test
    void alertRuleUnitTestsPass() throws Exception {
        Promtool.assumeInstalled();
        Files.copy(MonitoringFiles.RULES, dir.resolve("carpd-rules.yml"));
        try (InputStream in = getClass().getResourceAsStream("/monitoring/carpd-rules-test.yml")) {
            assertThat(in).as("carpd-rules-test.yml on the test class path").isNotNull();
            Files.copy(in, dir.resolve("carpd-rules-test.yml"));
        }
        Promtool.Result r = Promtool.run(dir, null, "test", "rules", "carpd-rules-test.yml");
        assertThat(r.exitCode()).as("promtool test rules: %s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyPanelQueriesThePrometheusChosenByTheDatasourceVariable() {
        JsonNode d = MonitoringFiles.dashboard();
        JsonNode variable = null;
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) variable = v;
        }
        assertThat(variable).as("a datasource template variable").isNotNull();
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        String ref = "${" + variable.path("name").asText() + "}";

        Set<Integer> ids = new HashSet<>();
        assertThat(d.path("panels")).isNotEmpty();
        for (JsonNode panel : d.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel %s", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel %s", title).isEqualTo(ref);
            assertThat(panel.path("targets")).as("targets of panel %s", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as("target datasource in %s", title).isEqualTo(ref);
                assertThat(target.path("expr").asText()).as("query of panel %s", title).isNotBlank();
            }
        }
    }

    @Test
    void everyQueryOfDashboardAndRulesReadsAtLeastOneMetric() {
        for (String q : MonitoringFiles.dashboardQueries()) assertThat(PromQl.metricNames(q)).as(q).isNotEmpty();
        MonitoringFiles.ruleExpressions().forEach((name, expr) -> assertThat(PromQl.metricNames(expr)).as(name).isNotEmpty());
    }
}
