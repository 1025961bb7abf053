package io.carpd.cli.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.testing.Netns;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real carpd daemons (fw1 preferred, fw2 with advskew 100) in their own network namespaces,
 * joined by a bridge in a third namespace ("mon") where a real Prometheus scrapes both TCP control
 * API listeners every second. Checks the daemons' real {@code /metrics} (promtool, unique series,
 * every metric the dashboard and the rules read) and the getVipStatus paths the Telegraf snippet
 * reads, runs every dashboard and rule query on Prometheus, then kills fw1 (SIGKILL, link down) and
 * watches Prometheus see fw2 take the VIPs over. The failover test runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusNamespaceTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String TOKEN = "monitoring-test-token";
    private static final String VIP4 = "192.0.2.254/24";
    private static final String VIP6 = "2001:db8::254/64";
    private static final String PROMETHEUS_URL = "http://192.0.2.10:9090";
    /** Metrics Prometheus itself makes for every target; no exporter serves them. */
    private static final Set<String> SYNTHETIC = Set.of("up");
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private Path dir;
    private Netns mon;
    private Netns fw1;
    private Netns fw2;
    private final Map<String, Process> daemons = new HashMap<>();
    private Process prometheus;
    private NsHttp http;

    @BeforeAll
    void startPairAndPrometheus() throws Exception {
        Netns.assumeAvailable();
        Promtool.assumeInstalled();
        if (!Files.isExecutable(PROMETHEUS)) {
            throw new AssertionError(PROMETHEUS + " is missing: install the Debian package 'prometheus'");
        }
        dir = Files.createTempDirectory("carpd-monitoring-");
        mon = Netns.create("mon");
        fw1 = Netns.create("fw1");
        fw2 = Netns.create("fw2");
        http = new NsHttp(mon);

        // A bridge in "mon" is the LAN: taking fw1's port down must not take fw2's carrier with it.
        mon.exec("ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        mon.exec("ip", "link", "set", "br0", "up");
        mon.exec("ip", "addr", "add", "192.0.2.10/24", "dev", "br0");
        Netns.veth(fw1, "lan", mon, "p1");
        Netns.veth(fw2, "lan", mon, "p2");
        mon.exec("ip", "link", "set", "p1", "master", "br0");
        mon.exec("ip", "link", "set", "p2", "master", "br0");
        fw1.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "lan");
        fw2.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "lan");

        secret("carp.pass", "monitoring-test\n");
        secret("api.token", TOKEN + "\n");
        startDaemon(fw1, "fw1", "192.0.2.1", 0);
        awaitMetrics("fw1", "192.0.2.1", text -> masterOf(text).equals(Set.of(VIP4, VIP6)));
        startDaemon(fw2, "fw2", "192.0.2.2", 100);
        awaitMetrics("fw2", "192.0.2.2", text -> backupOf(text).equals(Set.of(VIP4, VIP6)));
        startPrometheus();
        awaitQuery("carpd_vip_state{state=\"MASTER\"} == 1",
                r -> nodes(r).equals(Map.of(VIP4, Set.of("fw1"), VIP6, Set.of("fw1"))));
        awaitQuery("carpd_vip_state{state=\"BACKUP\"} == 1",
                r -> nodes(r).equals(Map.of(VIP4, Set.of("fw2"), VIP6, Set.of("fw2"))));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            // No prometheus or carpd may outlive the test, whatever failed before.
            stop(prometheus);
            for (Process p : daemons.values()) stop(p);
            for (Netns ns : new Netns[] {mon, fw1, fw2}) killLeftovers(ns);
        } finally {
            try {
                Netns.closeAll(mon, fw1, fw2);
            } finally {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    @Order(1)
    void realMetricsPassPromtoolWithUniqueSeries() throws Exception {
        withOperatorDemotionOnFw2(() -> {
            for (String[] node : new String[][] {{"fw1", "192.0.2.1"}, {"fw2", "192.0.2.2"}}) {
                String text = metrics(node[1]);
                Promtool.Result r = Promtool.run(dir, text, "check", "metrics");
                assertThat(r.exitCode()).as("promtool check metrics on %s: %s", node[0], r.output()).isZero();
                assertThat(r.output()).as("promtool lint findings on %s", node[0]).isBlank();
                Set<String> seen = new HashSet<>();
                for (String s : samples(text)) {
                    assertThat(seen.add(s.substring(0, s.lastIndexOf(' ')))).as("duplicate series on %s: %s", node[0], s).isTrue();
                }
                // The dual-stack VHID: each address has its own series for each state.
                assertThat(masterOf(text).size() + backupOf(text).size()).as(node[0]).isEqualTo(2);
            }
        });
    }

    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheRulesReadIsExported() throws Exception {
        withOperatorDemotionOnFw2(() -> {
            Set<String> exported = new TreeSet<>(sampleNames(metrics("192.0.2.1")));
            exported.addAll(sampleNames(metrics("192.0.2.2")));
            exported.addAll(SYNTHETIC);
            Map<String, Set<String>> missing = new TreeMap<>();
            for (String q : MonitoringFiles.dashboardQueries()) {
                for (String name : PromQl.metricNames(q)) {
                    if (!exported.contains(name)) missing.computeIfAbsent(name, k -> new TreeSet<>()).add("dashboard: " + q);
                }
            }
            MonitoringFiles.ruleExpressions().forEach((alert, expr) -> {
                for (String name : PromQl.metricNames(expr)) {
                    if (!exported.contains(name)) missing.computeIfAbsent(name, k -> new TreeSet<>()).add("rule " + alert);
                }
            });
            assertThat(missing).as("metrics read by the dashboard or the rules that carpd does not export (exported: %s)",
                    exported).isEmpty();
        });
    }

    /** The paths and keys config/telegraf/carpd.conf reads exist in the daemon's real replies. */
    @Test
    @Order(3)
    void telegrafInputsReadWhatTheDaemonServes() throws Exception {
        String conf = Files.readString(MonitoringFiles.TELEGRAF);
        List<String> urls = quoted(conf, "urls");
        assertThat(urls).anyMatch(u -> u.endsWith("/metrics")).anyMatch(u -> u.contains("getVipStatus"));
        for (String url : urls) {
            NsHttp.Response r = http.get(url.replace("127.0.0.1", "192.0.2.2"));
            assertThat(r.status()).as(url).isEqualTo(200);
            if (!url.contains("getVipStatus")) continue;
            JsonNode reply = MonitoringFiles.JSON.readTree(r.body());
            for (String path : quoted(conf, "path")) {
                JsonNode n = reply;
                for (String part : path.split("\\.")) n = n.path(part);
                assertThat(n.isMissingNode()).as("json_v2 path %s in %s", path, r.body()).isFalse();
            }
            JsonNode rows = reply.path("rows");
            assertThat(rows).hasSize(2);
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
            JsonNode r = query(q);
            assertThat(r.path("status").asText()).as("%s -> %s", q, r).isEqualTo("success");
        }
        // The state panel's arithmetic: 2 = MASTER, 1 = BACKUP, per node and address.
        String statePanel = MonitoringFiles.withGrafanaVariables(MonitoringFiles.panelQuery("CARP state per VIP"), "1m");
        Map<String, Double> codes = new TreeMap<>();
        for (JsonNode s : query(statePanel).path("data").path("result")) {
            String instance = s.path("metric").path("instance").asText();
            codes.put(instance + " " + s.path("metric").path("address").asText(), s.path("value").get(1).asDouble());
        }
        assertThat(codes).isEqualTo(Map.of(
                "192.0.2.1:8118 " + VIP4, 2.0, "192.0.2.1:8118 " + VIP6, 2.0,
                "192.0.2.2:8118 " + VIP4, 1.0, "192.0.2.2:8118 " + VIP6, 1.0));
        // Prometheus loaded the rules file itself (it refuses bad rules at start-up).
        JsonNode groups = MonitoringFiles.JSON.readTree(http.get(PROMETHEUS_URL + "/api/v1/rules").body())
                .path("data").path("groups");
        int loaded = 0;
        for (JsonNode g : groups) loaded += g.path("rules").size();
        assertThat(loaded).isEqualTo(MonitoringFiles.ruleExpressions().size());
    }

    @Test
    @Order(5)
    void prometheusSeesFw2TakeOverAfterFw1IsKilled() throws Exception {
        JsonNode before = query("carpd_vip_state{state=\"MASTER\"} == 1");
        assertThat(nodes(before)).isEqualTo(Map.of(VIP4, Set.of("fw1"), VIP6, Set.of("fw1")));

        Process daemon = daemons.get("fw1");
        daemon.destroyForcibly(); // SIGKILL: no bow-out advertisement, VIPs left behind
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
        fw1.exec("ip", "link", "set", "lan", "down");

        JsonNode after = awaitQuery("carpd_vip_state{state=\"MASTER\"} == 1",
                r -> nodes(r).equals(Map.of(VIP4, Set.of("fw2"), VIP6, Set.of("fw2"))));
        assertThat(nodes(after)).isEqualTo(Map.of(VIP4, Set.of("fw2"), VIP6, Set.of("fw2")));
        JsonNode takeovers = awaitQuery(
                "carpd_transitions_total{node=\"fw2\", to=\"MASTER\", reason=\"master_down\"}",
                r -> r.path("data").path("result").size() == 1);
        assertThat(takeovers.path("data").path("result").get(0).path("value").get(1).asDouble()).isEqualTo(1.0);
        assertThat(query("up{node=\"fw1\"}").path("data").path("result").get(0).path("value").get(1).asText())
                .isEqualTo("0");
    }

    // ---- fixture ----

    private void secret(String name, String content) throws IOException {
        Path f = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private void startDaemon(Netns ns, String node, String address, int advskew) throws IOException {
        Path home = Files.createDirectories(dir.resolve(node));
        Files.createDirectories(home.resolve("run"));
        Files.createDirectories(home.resolve("state"));
        Path config = Files.writeString(home.resolve("carpd.yaml"), """
                node: %1$s
                runtime_dir: %2$s/run
                state_dir: %2$s/state
                announce: { count: 2, interval_ms: 100, refresh_s: 0 }
                defaults: { advbase: 1, advskew: %3$d, password_file: %4$s/carp.pass }
                vhids:
                  - vhid: 2
                    interface: lan
                    addresses: [%5$s, "%6$s"]
                api:
                  socket: %2$s/run/carpd.sock
                  tcp: { bind: %7$s, port: 8118, token_file: %4$s/api.token }
                """.formatted(node, home, advskew, dir, VIP4, VIP6, address));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.carpd.cli.Main", "run", "-c", config.toString()));
        daemons.put(node, new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("carpd.log").toFile())
                .start());
    }

    private void startPrometheus() throws IOException {
        Path home = Files.createDirectories(dir.resolve("prometheus"));
        Path config = Files.writeString(home.resolve("prometheus.yml"), """
                global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: carpd
                    static_configs:
                      - targets: ["192.0.2.1:8118"]
                        labels: { node: fw1 }
                      - targets: ["192.0.2.2:8118"]
                        labels: { node: fw2 }
                """.formatted(MonitoringFiles.RULES));
        prometheus = new ProcessBuilder("ip", "netns", "exec", mon.name(), PROMETHEUS.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=192.0.2.10:9090", "--log.level=warn")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("prometheus.log").toFile())
                .start();
    }

    /** SIGKILL for any process still inside {@code ns} (all of them were started by this test). */
    private static void killLeftovers(Netns ns) throws IOException {
        if (ns == null) return;
        Process pids = new ProcessBuilder("ip", "netns", "pids", ns.name()).redirectErrorStream(true).start();
        for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
            if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private String log(String name) {
        try {
            Path f = name.equals("prometheus") ? dir.resolve("prometheus/prometheus.log") : dir.resolve(name + "/carpd.log");
            return Files.exists(f) ? Files.readString(f) : "(no log)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String metrics(String address) throws Exception {
        NsHttp.Response r = http.get("http://" + address + ":8118/metrics");
        assertThat(r.status()).as("GET /metrics on %s: %s", address, r.body()).isEqualTo(200);
        return r.body();
    }

    private void awaitMetrics(String node, String address, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            assertThat(daemons.get(node).isAlive()).as("carpd %s died:%n%s", node, log(node)).isTrue();
            NsHttp.Response r = http.get("http://" + address + ":8118/metrics");
            last = r.body();
            if (r.status() == 200 && ready.test(last)) return;
            Thread.sleep(250);
        }
        throw new AssertionError("carpd " + node + " not ready within " + STARTUP + "; last /metrics:\n" + last
                + "\nlog:\n" + log(node));
    }

    private JsonNode query(String promql) throws Exception {
        NsHttp.Response r = http.get(PROMETHEUS_URL + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return r.status() < 0 ? MonitoringFiles.JSON.createObjectNode().put("status", r.body())
                : MonitoringFiles.JSON.readTree(r.body());
    }

    private JsonNode awaitQuery(String promql, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus died:%n%s", log("prometheus")).isTrue();
            last = query(promql);
            if (last.path("status").asText().equals("success") && done.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus: '" + promql + "' never matched within " + STARTUP + "; last answer: " + last
                + "\nprometheus log:\n" + log("prometheus") + "\nfw1 log:\n" + log("fw1") + "\nfw2 log:\n" + log("fw2"));
    }

    /** Runs {@code check} while fw2 carries an operator demotion of 1, so carpd_demotion{group,source} exists. */
    private void withOperatorDemotionOnFw2(ThrowingRunnable check) throws Exception {
        String demote = "http://192.0.2.2:8118/api/v1/demote";
        NsHttp.Response set = http.post(demote, "{\"group\":\"carp\",\"value\":1}", TOKEN);
        assertThat(set.status()).as("demote fw2: %s", set.body()).isEqualTo(200);
        try {
            check.run();
        } finally {
            NsHttp.Response reset = http.post(demote, "{\"group\":\"carp\",\"reset\":true}", TOKEN);
            assertThat(reset.status()).as("reset fw2's demotion: %s", reset.body()).isEqualTo(200);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- exposition text and query results ----

    private static List<String> samples(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    private static Set<String> sampleNames(String text) {
        Set<String> out = new TreeSet<>();
        for (String s : samples(text)) out.add(s.split("[{ ]", 2)[0]);
        return out;
    }

    private static final Pattern STATE = Pattern.compile(
            "^carpd_vip_state\\{address=\"([^\"]+)\",interface=\"lan\",state=\"(\\w+)\",vhid=\"2\"} 1(\\.0)?$");

    /** Addresses whose state series {@code state} has value 1. */
    private static Set<String> inState(String text, String state) {
        Set<String> out = new TreeSet<>();
        for (String s : samples(text)) {
            Matcher m = STATE.matcher(s);
            if (m.matches() && m.group(2).equals(state)) out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> masterOf(String text) {
        return inState(text, "MASTER");
    }

    private static Set<String> backupOf(String text) {
        return inState(text, "BACKUP");
    }

    /** address → nodes, from a query returning carpd_vip_state series. */
    private static Map<String, Set<String>> nodes(JsonNode r) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode s : r.path("data").path("result")) {
            out.computeIfAbsent(s.path("metric").path("address").asText(), k -> new TreeSet<>())
                    .add(s.path("metric").path("node").asText());
        }
        return out;
    }

    /** Every double-quoted string of the TOML arrays or values assigned to {@code key}. */
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
