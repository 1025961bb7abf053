package io.carpd.cli.monitoring;

import static io.carpd.cli.monitoring.MonitoredPair.VIP4;
import static io.carpd.cli.monitoring.MonitoredPair.VIP6;
import static io.carpd.cli.monitoring.MonitoredPair.bothVips;
import static io.carpd.cli.monitoring.MonitoredPair.nodesByAddress;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.testing.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files against real daemons and a real Prometheus ({@link MonitoredPair}): the
 * daemons' real {@code /metrics} pass promtool with unique series and export every metric the
 * dashboard and the rules read; the getVipStatus paths the Telegraf snippet reads exist; every
 * dashboard and rule query runs on Prometheus; and Prometheus sees fw2 take over once fw1 is killed
 * hard. The failover test runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusNamespaceTest {

    /** Metrics Prometheus itself makes for every target; no exporter serves them. */
    private static final Set<String> SYNTHETIC = Set.of("up");

    @TempDir
    Path dir;

    private MonitoredPair pair;

    @BeforeAll
    void start() throws Exception {
        Netns.assumeAvailable();
        Promtool.assumeInstalled();
        pair = MonitoredPair.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (pair != null) pair.close();
    }

    @Test
    @Order(1)
    void realMetricsPassPromtoolWithUniqueSeries() throws Exception {
        withOperatorDemotionOnFw2(() -> {
            for (MonitoredPair.Node node : List.of(pair.fw1(), pair.fw2())) {
                String text = pair.metrics(node);
                Promtool.Result r = Promtool.run(dir, text, "check", "metrics");
                assertThat(r.exitCode()).as("promtool check metrics on %s: %s", node.name(), r.output()).isZero();
                assertThat(r.output()).as("promtool lint findings on %s", node.name()).isBlank();
                Set<String> seen = new HashSet<>();
                for (String s : Exposition.samples(text)) {
                    assertThat(seen.add(s.substring(0, s.lastIndexOf(' ')))).as("duplicate series on %s: %s", node.name(), s)
                            .isTrue();
                }
                // The dual-stack VHID: each address has its own series for each state.
                Set<String> inState = new TreeSet<>(Exposition.addressesIn(text, "MASTER"));
                inState.addAll(Exposition.addressesIn(text, "BACKUP"));
                assertThat(inState).as(node.name()).containsExactlyInAnyOrder(VIP4, VIP6);
            }
        });
    }

    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheRulesReadIsExported() throws Exception {
        withOperatorDemotionOnFw2(() -> {
            // This pair runs without state or config sync; SplitBrainNetnsTest and ConfigSyncNetnsTest check those.
            Map<String, Set<String>> missing = ReferencedMetrics.missing(
                    ReferencedMetrics.SYNC_ONLY.or(ReferencedMetrics.CONFIG_SYNC_ONLY).negate(), SYNTHETIC,
                    pair.metrics(pair.fw1()), pair.metrics(pair.fw2()));
            Set<String> exported = new TreeSet<>(Exposition.sampleNames(pair.metrics(pair.fw1())));
            assertThat(missing).as("metrics read by the dashboard or the rules that carpd does not export (exported: %s)",
                    exported).isEmpty();
        });
    }

    /** The URLs, paths and keys config/telegraf/carpd.conf reads exist in the daemon's real replies. */
    @Test
    @Order(3)
    void telegrafInputsReadWhatTheDaemonServes() throws Exception {
        String conf = Files.readString(MonitoringFiles.TELEGRAF);
        List<String> urls = quoted(conf, "urls");
        assertThat(urls).anyMatch(u -> u.endsWith("/metrics")).anyMatch(u -> u.contains("getVipStatus"));
        for (String url : urls) {
            NsHttp.Response r = pair.http().get(url.replace("127.0.0.1", pair.fw2().address()));
            assertThat(r.status()).as(url).isEqualTo(200);
            if (!url.contains("getVipStatus")) continue;
            JsonNode reply = MonitoringFiles.JSON.readTree(r.body());
            for (String path : quoted(conf, "path")) {
                JsonNode n = reply;
                for (String part : path.split("\\.")) n = n.path(part);
                assertThat(n.isMissingNode()).as("json_v2 path %s in %s", path, r.body()).isFalse();
            }
            JsonNode rows = reply.path("rows");
            assertThat(rows).as("one row per VIP address").hasSize(2);
            Set<String> keys = new TreeSet<>(quoted(conf, "tags"));
            keys.addAll(quoted(conf, "included_keys"));
            Matcher typed = Pattern.compile("(?m)^\\s*(?!type\\b)(\\w+) = \"(?:string|int|bool|float)\"").matcher(conf);
            while (typed.find()) keys.add(typed.group(1));
            for (JsonNode row : rows) {
                for (String key : keys) assertThat(row.has(key)).as("row key %s in %s", key, row).isTrue();
            }
        }
    }

    @Test
    @Order(4)
    void prometheusEvaluatesEveryDashboardAndRuleQuery() throws Exception {
        List<String> queries = new ArrayList<>();
        for (String q : MonitoringFiles.dashboardQueries()) {
            if (!q.startsWith("label_values(")) queries.add(MonitoringFiles.withGrafanaVariables(q, "1m"));
        }
        queries.addAll(MonitoringFiles.ruleExpressions().values());
        for (String q : queries) {
            JsonNode r = pair.query(q);
            assertThat(r.path("status").asText()).as("%s -> %s", q, r).isEqualTo("success");
        }
        // The state panel's arithmetic: 2 = MASTER, 1 = BACKUP, per node and address.
        String statePanel = MonitoringFiles.withGrafanaVariables(MonitoringFiles.panelQuery("CARP state per VIP"), "1m");
        Map<String, Double> codes = new TreeMap<>();
        for (JsonNode s : pair.query(statePanel).path("data").path("result")) {
            String instance = s.path("metric").path("instance").asText();
            codes.put(instance + " " + s.path("metric").path("address").asText(), s.path("value").get(1).asDouble());
        }
        String fw1 = pair.fw1().address() + ":8118 ";
        String fw2 = pair.fw2().address() + ":8118 ";
        assertThat(codes).isEqualTo(Map.of(fw1 + VIP4, 2.0, fw1 + VIP6, 2.0, fw2 + VIP4, 1.0, fw2 + VIP6, 1.0));
        // Prometheus loaded the rules file itself (it refuses bad rules at start-up).
        int loaded = 0;
        for (JsonNode g : pair.rules().path("data").path("groups")) loaded += g.path("rules").size();
        assertThat(loaded).isEqualTo(MonitoringFiles.ruleExpressions().size());
    }

    @Test
    @Order(5)
    void prometheusSeesFw2TakeOverAfterFw1IsKilled() throws Exception {
        String masters = "carpd_vip_state{state=\"MASTER\"} == 1";
        assertThat(nodesByAddress(pair.query(masters))).isEqualTo(bothVips("fw1"));

        pair.killHard(pair.fw1());

        JsonNode after = pair.awaitQuery(masters, r -> nodesByAddress(r).equals(bothVips("fw2")));
        assertThat(nodesByAddress(after)).isEqualTo(bothVips("fw2"));
        JsonNode takeovers = pair.awaitQuery("carpd_transitions_total{node=\"fw2\", to=\"MASTER\", reason=\"master_down\"}",
                r -> r.path("data").path("result").size() == 1);
        assertThat(takeovers.path("data").path("result").get(0).path("value").get(1).asDouble()).isEqualTo(1.0);
        assertThat(pair.query("up{node=\"fw1\"}").path("data").path("result").get(0).path("value").get(1).asText())
                .isEqualTo("0");
    }

    /** Runs {@code check} while fw2 carries an operator demotion of 1, so carpd_demotion{group,source} exists. */
    private void withOperatorDemotionOnFw2(ThrowingRunnable check) throws Exception {
        String demote = pair.fw2().url("/api/v1/demote");
        NsHttp.Response set = pair.http().post(demote, "{\"group\":\"carp\",\"value\":1}", MonitoredPair.TOKEN);
        assertThat(set.status()).as("demote fw2: %s", set.body()).isEqualTo(200);
        try {
            check.run();
        } finally {
            NsHttp.Response reset = pair.http().post(demote, "{\"group\":\"carp\",\"reset\":true}", MonitoredPair.TOKEN);
            assertThat(reset.status()).as("reset fw2's demotion: %s", reset.body()).isEqualTo(200);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Every double-quoted string of the TOML values assigned to {@code key}. */
    private static List<String> quoted(String toml, String key) {
        List<String> out = new ArrayList<>();
        Matcher line = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=\\s*(.*)$").matcher(toml);
        while (line.find()) {
            Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(line.group(1));
            while (q.find()) out.add(q.group(1));
        }
        return out;
    }
}
