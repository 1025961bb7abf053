package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.cli.Main;
import io.carpd.testing.Netns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * State sync end to end with two real carpd daemons in the reference lab: both firewalls are
 * stateful (forward policy drop, new connections only from the LAN, {@code tcp_loose=0}), so a TCP
 * session can only survive a failover if fw2 holds fw1's conntrack state. A client streams a fixed
 * byte count through the VIPs to an echo server and checks every byte; fw1's daemon is killed with
 * SIGKILL and its links cut. The same scenario without a {@code sync:} section is the control that
 * must stall. Also: a wrong key on fw2 (frames rejected and counted, never in sync) and a cut and
 * healed sync link (no state lost). Needs root, socat, conntrack and nft.
 */
class SyncFailoverNetnsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JVM start of two daemons on a busy two-core machine, plus one master-down interval. */
    private static final Duration ELECTION = Duration.ofSeconds(45);
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static final int PORT = 18080;
    /** 1.5 MB at up to 100 KiB/s: about 15 s of streaming plus the failover. */
    private static final long TOTAL_BYTES = 1_500_000;
    private static final Pattern VERIFIED = Pattern.compile("^verified (\\d+)$", Pattern.MULTILINE);
    private static final Pattern TUPLE = Pattern.compile("src=\\S+ dst=\\S+ sport=\\d+ dport=\\d+");

    private Lab lab;
    private Process stream;
    private final List<Process> holders = new ArrayList<>();

    @BeforeAll
    static void guard() {
        Netns.assumeAvailable();
        for (String tool : List.of("socat", "conntrack", "nft")) {
            assertThat(Namespaces.tryRun(List.of("sh", "-c", "command -v " + tool), null).ok())
                    .as("%s is needed by the state sync end-to-end test", tool).isTrue();
        }
    }

    @AfterEach
    void tearDown() {
        if (stream != null) stream.destroyForcibly();
        holders.forEach(Process::destroyForcibly);
        if (lab != null) lab.close();
    }

    @ParameterizedTest(name = "snat={0}")
    @ValueSource(booleans = {false, true})
    void tcpSessionContinuesThroughFw2AfterFw1IsKilledWithEveryByteIntact(boolean snat) throws Exception {
        statefulLab(LabProfile.reference().withStateSync(), snat);
        startStream();
        awaitVerified(100_000, Duration.ofSeconds(40));
        assertThat(Lab.await(() -> sessionStates(LabNode.FW2).contains("ESTABLISHED"), Duration.ofSeconds(10),
                Duration.ofMillis(100))).as("fw1 synced the session's state to fw2").isTrue();
        if (snat) {
            assertThat(sessionStates(LabNode.FW2)).as("the synced state carries the SNAT binding to the WAN VIP")
                    .contains("dst=" + LabVip.WAN.address());
        }

        long beforeFailure = verified();
        lab.fail(LabNode.FW1);
        assertThat(lab.awaitSoleOwner(LabNode.FW2, TAKEOVER)).as(lab.status().render()).isTrue();
        assertThat(lab.logMatches(LabNode.FW2, Pattern.compile("vhid 2 on lan: BACKUP -> MASTER"))).isTrue();

        boolean finished = stream.waitFor(90, TimeUnit.SECONDS);
        assertThat(finished).as("stream finished; %s%n%s", streamLog(), finished ? "" : fw2Diagnostics()).isTrue();
        assertThat(stream.exitValue()).as(streamLog()).isZero();
        assertThat(streamLog()).contains("done " + TOTAL_BYTES).doesNotContain("error").doesNotContain("mismatch");
        assertThat(TOTAL_BYTES).as("bytes after the failure went through fw2").isGreaterThan(beforeFailure);
        assertThat(fw2ForwardCounter("ct state invalid")).as("no packet of the session was invalid on fw2").isZero();
    }

    @Test
    void withoutStateSyncTheSameSessionStallsAfterTheFailover() throws Exception {
        statefulLab(LabProfile.reference(), false);
        startStream();
        awaitVerified(100_000, Duration.ofSeconds(40));

        lab.fail(LabNode.FW1);
        assertThat(lab.awaitSoleOwner(LabNode.FW2, TAKEOVER)).as(lab.status().render()).isTrue();
        long atTakeover = verified();
        Namespaces.sleepMillis(10_000);

        assertThat(verified()).as("no byte delivered in 10 s after fw2 took over; %s", streamLog()).isEqualTo(atTakeover);
        assertThat(streamLog()).doesNotContain("done ");
        assertThat(fw2ForwardCounter("ct state invalid")).as("fw2 dropped the session's packets as invalid").isPositive();
    }

    @Test
    void wrongSyncKeyOnFw2IsRejectedCountedAndNeverInSync() throws Exception {
        lab = LabFixture.create(LabProfile.reference().withFw2SyncKey("fw2-has-another-sync-key-0123456"));
        lab.startDaemons();
        assertThat(Lab.await(() -> dropped(LabNode.FW2, "bad_mac") >= 2, ELECTION, Duration.ofMillis(250)))
                .as("fw2 rejects fw1's HELLOs (bad MAC) again and again").isTrue();
        for (int i = 0; i < 10; i++) {
            for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
                assertThat(syncStatus(fw).path("link").asText()).as("%s link", fw.label()).isEqualTo("DISCONNECTED");
                assertThat(syncStatus(fw).path("peer_states").asInt()).isZero();
            }
            Namespaces.sleepMillis(300);
        }

        StringWriter out = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out))
                .execute("sync", "status", "--socket", socket(LabNode.FW2).toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("sync DISCONNECTED with 198.51.100.1").containsPattern("bad_mac [1-9]");
        assertThat(lab.metrics(LabNode.FW2)).containsPattern("carpd_sync_auth_failures_total(\\{\\})? [1-9]")
                .containsPattern("carpd_sync_frames_dropped_total\\{reason=\"bad_mac\"\\} [1-9]")
                .contains("carpd_sync_peer_up 0.0");
    }

    @Test
    void syncLinkCutAndHealLosesNoState() throws Exception {
        statefulLab(LabProfile.reference().withStateSync(), false);
        for (int i = 0; i < 4; i++) holdConnection();
        assertThat(Lab.await(() -> clientFlows(LabNode.FW2).size() == 4, Duration.ofSeconds(20), Duration.ofMillis(200)))
                .as("the first four flows reach fw2; fw1 %s, fw2 %s", clientFlows(LabNode.FW1), clientFlows(LabNode.FW2)).isTrue();
        long connections = syncStatus(LabNode.FW2).path("counters").path("connections").asLong();

        Namespaces.ip(lab.topology().ns(LabNode.FW1), "link", "set", Segment.SYNC.iface(), "down");
        assertThat(Lab.await(() -> syncStatus(LabNode.FW2).path("link").asText().equals("DISCONNECTED"),
                Duration.ofSeconds(15), Duration.ofMillis(200))).as("fw2 notices the dead link").isTrue();
        for (int i = 0; i < 3; i++) holdConnection();
        Set<String> first = clientFlows(LabNode.FW1);
        assertThat(Lab.await(() -> clientFlows(LabNode.FW1).size() == 7, Duration.ofSeconds(20), Duration.ofMillis(200)))
                .as("seven flows on fw1: %s", clientFlows(LabNode.FW1)).isTrue();
        // two flows of the first batch end on fw1 while fw2 cannot hear about it
        List<String> ended = first.stream().limit(2).toList();
        for (String flow : ended) {
            Matcher m = Pattern.compile("sport=(\\d+)").matcher(flow);
            assertThat(m.find()).isTrue();
            Namespaces.exec(lab.topology().ns(LabNode.FW1), "conntrack", "-D", "-p", "tcp", "--orig-port-src", m.group(1));
        }
        assertThat(clientFlows(LabNode.FW2)).as("fw2 still has the old picture").hasSize(4);

        Namespaces.ip(lab.topology().ns(LabNode.FW1), "link", "set", Segment.SYNC.iface(), "up");
        assertThat(Lab.await(() -> {
            JsonNode s = syncStatus(LabNode.FW2);
            return s.path("link").asText().equals("IN_SYNC") && s.path("counters").path("connections").asLong() > connections;
        }, Duration.ofSeconds(30), Duration.ofMillis(200))).as("the link comes back and resyncs").isTrue();
        assertThat(Lab.await(() -> clientFlows(LabNode.FW1).equals(clientFlows(LabNode.FW2)), Duration.ofSeconds(10),
                Duration.ofMillis(200))).as("fw1 %s vs fw2 %s", clientFlows(LabNode.FW1), clientFlows(LabNode.FW2)).isTrue();
        assertThat(clientFlows(LabNode.FW2)).hasSize(5).doesNotContainAnyElementsOf(ended);
        // Only forwarded traffic is synced: no CARP adverts, IGMP or sync-link connection.
        assertThat(syncStatus(LabNode.FW2).path("peer_states").asInt()).as(syncStatus(LabNode.FW2).toString()).isEqualTo(5);
    }

    // ---- helpers

    private void statefulLab(LabProfile profile, boolean snat) {
        lab = LabFixture.create(profile);
        lab.topology().installStatefulFirewall(snat);
        Namespaces.spawn(lab.topology().ns(LabNode.SERVER),
                List.of("socat", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "PIPE"), lab.layout().log(LabNode.SERVER));
        lab.startDaemons();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).as("fw1 holds both VIPs; %s", lab.status().render()).isTrue();
        if (profile.stateSync()) {
            assertThat(Lab.await(() -> inSync(LabNode.FW1) && inSync(LabNode.FW2), Duration.ofSeconds(30), Duration.ofMillis(200)))
                    .as("both sides in sync").isTrue();
        }
    }

    private boolean inSync(LabNode fw) {
        return syncStatus(fw).path("link").asText().equals("IN_SYNC");
    }

    private void startStream() {
        CarpdLauncher l = CarpdLauncher.current();
        List<String> argv = List.of(l.java(), "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", l.classpath(),
                TcpStreamCheck.class.getName(), Topology.serverAddress(), Integer.toString(PORT), Long.toString(TOTAL_BYTES),
                "1024", "10");
        stream = Namespaces.spawn(lab.topology().ns(LabNode.CLIENT), argv, streamLogPath());
    }

    /** An idle TCP connection from the client to the echo server, held open (at most 180 s). */
    private void holdConnection() {
        holders.add(Namespaces.spawn(lab.topology().ns(LabNode.CLIENT),
                List.of("sh", "-c", "sleep 180 | socat - TCP:" + Topology.serverAddress() + ":" + PORT),
                lab.layout().dir().resolve("holders.log")));
    }

    private Path streamLogPath() {
        return lab.layout().dir().resolve("stream.log");
    }

    private String streamLog() {
        try {
            return Files.exists(streamLogPath()) ? Files.readString(streamLogPath()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long verified() {
        Matcher m = VERIFIED.matcher(streamLog());
        long last = 0;
        while (m.find()) last = Long.parseLong(m.group(1));
        return last;
    }

    private void awaitVerified(long bytes, Duration timeout) {
        assertThat(Lab.await(() -> verified() >= bytes, timeout, Duration.ofMillis(100)))
                .as("stream started through fw1; %s", streamLog()).isTrue();
    }

    /** conntrack lines of the streamed session on {@code fw}. */
    private String sessionStates(LabNode fw) {
        return Namespaces.tryRun(List.of("ip", "netns", "exec", lab.topology().ns(fw), "conntrack", "-L", "-p", "tcp",
                "--dport", Integer.toString(PORT)), null).stdout();
    }

    /** The client's TCP flows through {@code fw}: original tuple and TCP state of each. */
    private Set<String> clientFlows(LabNode fw) {
        String out = Namespaces.tryRun(List.of("ip", "netns", "exec", lab.topology().ns(fw), "conntrack", "-L", "-p", "tcp",
                "-s", Topology.clientAddress(), "--dport", Integer.toString(PORT)), null).stdout();
        Set<String> flows = new TreeSet<>();
        for (String line : out.lines().toList()) {
            Matcher m = TUPLE.matcher(line);
            if (m.find()) flows.add(m.group() + (line.contains("ESTABLISHED") ? " ESTABLISHED" : " other"));
        }
        return flows;
    }

    /** Packets counted by the rule of fw2's forward chain that contains {@code rule}. */
    private long fw2ForwardCounter(String rule) {
        String chain = Namespaces.exec(lab.topology().ns(LabNode.FW2), "nft", "list", "chain", "inet", "carplab_fw", "forward");
        Matcher m = Pattern.compile(Pattern.quote(rule) + " counter packets (\\d+)").matcher(chain);
        assertThat(m.find()).as(chain).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** What fw2 knows about the session and what its ruleset counted, for failure messages. */
    private String fw2Diagnostics() {
        String ns = lab.topology().ns(LabNode.FW2);
        return "fw2 conntrack:\n" + sessionStates(LabNode.FW2)
                + "\nfw2 ruleset:\n" + Namespaces.tryRun(List.of("ip", "netns", "exec", ns, "nft", "list", "ruleset"), null).stdout()
                + "\nfw2 addresses:\n" + Namespaces.tryRun(List.of("ip", "-n", ns, "-br", "addr"), null).stdout()
                + "\nfw2 conntrack stats:\n" + Namespaces.tryRun(List.of("ip", "netns", "exec", ns, "conntrack", "-S"), null).stdout();
    }

    private Path socket(LabNode fw) {
        return lab.layout().runtimeDir(fw).resolve("carpd.sock");
    }

    private JsonNode syncStatus(LabNode fw) {
        try {
            return JSON.readTree(ControlSocketClient.get(socket(fw), "/api/v1/sync"));
        } catch (IOException | RuntimeException e) {
            return JSON.createObjectNode().put("link", "unreachable: " + e.getMessage());
        }
    }

    private long dropped(LabNode fw, String reason) {
        return syncStatus(fw).path("drops").path(reason).asLong();
    }
}
