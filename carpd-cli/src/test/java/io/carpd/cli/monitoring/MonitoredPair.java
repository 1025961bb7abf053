package io.carpd.cli.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.cli.lab.CarpdLauncher;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Two carpd daemons (fw1 preferred with advskew 0, fw2 with advskew 100) holding one dual-stack
 * VHID, each in its own namespace, joined by a bridge in a third namespace ("mon") where a real
 * Prometheus scrapes both TCP control API listeners every second, labelling them node=fw1/fw2.
 * Daemons are separate JVMs ({@link CarpdLauncher}: this test's class path), so they can be killed hard.
 * {@link #close()} kills every process it started and deletes namespaces and files.
 */
final class MonitoredPair implements AutoCloseable {

    static final String TOKEN = "monitoring-test-token";
    static final String VIP4 = "192.0.2.254/24";
    static final String VIP6 = "2001:db8::254/64";
    private static final String PROMETHEUS_URL = "http://192.0.2.10:9090";
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    /** One firewall: its namespace and the LAN address its API listens on (port 8118). */
    record Node(String name, Netns ns, String address, int advskew) {
        String url(String path) {
            return "http://" + address + ":8118" + path;
        }
    }

    private final Path dir;
    private final List<Netns> namespaces = new ArrayList<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private Netns mon;
    private Node fw1;
    private Node fw2;
    private NsHttp http;

    private MonitoredPair(Path dir) {
        this.dir = dir;
    }

    /** Builds the LAN, starts fw1 (until MASTER), fw2 (until BACKUP) and Prometheus (until it sees both). */
    static MonitoredPair start() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            throw new AssertionError(PROMETHEUS + " is missing: install the Debian package 'prometheus'");
        }
        MonitoredPair pair = new MonitoredPair(Files.createTempDirectory("carpd-monitoring-"));
        try {
            pair.build();
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    Node fw1() {
        return fw1;
    }

    Node fw2() {
        return fw2;
    }

    /** HTTP from the monitoring namespace, which reaches both nodes and Prometheus. */
    NsHttp http() {
        return http;
    }

    private void build() throws Exception {
        mon = ns("mon");
        http = new NsHttp(mon);
        // A bridge is the LAN: taking fw1's port down must not take fw2's carrier with it (a bare veth would).
        mon.exec("ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        mon.exec("ip", "link", "set", "br0", "up");
        mon.exec("ip", "addr", "add", "192.0.2.10/24", "dev", "br0");
        fw1 = new Node("fw1", ns("fw1"), "192.0.2.1", 0);
        fw2 = new Node("fw2", ns("fw2"), "192.0.2.2", 100);
        for (Node n : List.of(fw1, fw2)) {
            String port = "p-" + n.name();
            Netns.veth(n.ns(), "lan", mon, port);
            mon.exec("ip", "link", "set", port, "master", "br0");
            n.ns().exec("ip", "addr", "add", n.address() + "/24", "dev", "lan");
        }
        secret("carp.pass", "monitoring-test\n");
        secret("api.token", TOKEN + "\n");

        startDaemon(fw1);
        awaitMetrics(fw1, text -> Exposition.addressesIn(text, "MASTER").equals(Set.of(VIP4, VIP6)));
        startDaemon(fw2);
        awaitMetrics(fw2, text -> Exposition.addressesIn(text, "BACKUP").equals(Set.of(VIP4, VIP6)));
        startPrometheus();
        awaitQuery("carpd_vip_state{state=\"MASTER\"} == 1", r -> nodesByAddress(r).equals(bothVips("fw1")));
        awaitQuery("carpd_vip_state{state=\"BACKUP\"} == 1", r -> nodesByAddress(r).equals(bothVips("fw2")));
    }

    /** address → {node} for both VIPs. */
    static Map<String, Set<String>> bothVips(String node) {
        return Map.of(VIP4, Set.of(node), VIP6, Set.of(node));
    }

    /** address → nodes, from a query answer made of carpd_vip_state series. */
    static Map<String, Set<String>> nodesByAddress(JsonNode answer) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode s : answer.path("data").path("result")) {
            out.computeIfAbsent(s.path("metric").path("address").asText(), k -> new TreeSet<>())
                    .add(s.path("metric").path("node").asText());
        }
        return out;
    }

    /** The node's /metrics, fetched like Prometheus does (from "mon", over the LAN). */
    String metrics(Node n) throws Exception {
        NsHttp.Response r = http.get(n.url("/metrics"));
        if (r.status() != 200) throw new AssertionError("GET /metrics on " + n.name() + ": " + r.status() + " " + r.body());
        return r.body();
    }

    /** An instant query on Prometheus' HTTP API; the parsed answer. */
    JsonNode query(String promql) throws Exception {
        NsHttp.Response r = http.get(PROMETHEUS_URL + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return r.status() < 0 ? MonitoringFiles.JSON.createObjectNode().put("status", r.body())
                : MonitoringFiles.JSON.readTree(r.body());
    }

    /** Prometheus' /api/v1/rules answer. */
    JsonNode rules() throws Exception {
        return MonitoringFiles.JSON.readTree(http.get(PROMETHEUS_URL + "/api/v1/rules").body());
    }

    /** Repeats {@code promql} until a successful answer satisfies {@code done}; returns that answer. */
    JsonNode awaitQuery(String promql, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!processes.get("prometheus").isAlive()) throw new AssertionError("prometheus died:\n" + logs());
            last = query(promql);
            if (last.path("status").asText().equals("success") && done.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus: '" + promql + "' never matched within " + PATIENCE + "; last answer: "
                + last + "\n" + logs());
    }

    /** SIGKILL for the node's daemon (no bow-out, VIPs left behind), then its LAN link down. */
    void killHard(Node n) throws Exception {
        Process p = processes.get(n.name());
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("carpd " + n.name() + " survived SIGKILL");
        n.ns().exec("ip", "link", "set", "lan", "down");
    }

    @Override
    public void close() throws Exception {
        try {
            // No prometheus or carpd may outlive the test, whatever failed before.
            for (Process p : processes.values()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            for (Netns ns : namespaces) killLeftovers(ns);
        } finally {
            try {
                Netns.closeAll(namespaces.toArray(Netns[]::new));
            } finally {
                deleteTree(dir);
            }
        }
    }

    private Netns ns(String name) {
        Netns ns = Netns.create(name);
        namespaces.add(ns);
        return ns;
    }

    private void secret(String name, String content) throws IOException {
        Path f = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private void startDaemon(Node n) throws IOException {
        Path home = Files.createDirectories(dir.resolve(n.name()));
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
                """.formatted(n.name(), home, n.advskew(), dir, VIP4, VIP6, n.address()));
        launch(n.name(), n.ns(), home.resolve("carpd.log"),
                CarpdLauncher.current().command(List.of("run", "-c", config.toString())).toArray(String[]::new));
    }

    private void startPrometheus() throws IOException {
        Path home = Files.createDirectories(dir.resolve("prometheus"));
        Path config = Files.writeString(home.resolve("prometheus.yml"), """
                global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: carpd
                    static_configs:
                      - targets: ["%s"]
                        labels: { node: fw1 }
                      - targets: ["%s"]
                        labels: { node: fw2 }
                """.formatted(MonitoringFiles.RULES, fw1.address() + ":8118", fw2.address() + ":8118"));
        launch("prometheus", mon, home.resolve("prometheus.log"), PROMETHEUS.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=192.0.2.10:9090", "--log.level=warn");
    }

    /** Starts {@code argv} inside {@code ns} ('ip netns exec' execs it: the process is the program itself). */
    private void launch(String name, Netns ns, Path log, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        cmd.addAll(List.of(argv));
        processes.put(name, new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    }

    private void awaitMetrics(Node n, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!processes.get(n.name()).isAlive()) throw new AssertionError("carpd " + n.name() + " died:\n" + logs());
            NsHttp.Response r = http.get(n.url("/metrics"));
            last = r.body();
            if (r.status() == 200 && ready.test(last)) return;
            Thread.sleep(250);
        }
        throw new AssertionError("carpd " + n.name() + " not ready within " + PATIENCE + "; last /metrics:\n" + last
                + "\n" + logs());
    }

    /** Every log this pair wrote so far, for failure messages. */
    private String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : processes.keySet()) {
            Path f = dir.resolve(name).resolve(name.equals("prometheus") ? "prometheus.log" : "carpd.log");
            try {
                out.append("---- ").append(name).append(" log:\n").append(Files.exists(f) ? Files.readString(f) : "(none)");
            } catch (IOException e) {
                out.append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** SIGKILL for any process still inside {@code ns} (all of them were started here). */
    private static void killLeftovers(Netns ns) throws IOException {
        Process pids = new ProcessBuilder("ip", "netns", "pids", ns.name()).redirectErrorStream(true).start();
        for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
            if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
