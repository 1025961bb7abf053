package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.cli.Main;
import io.carpd.cli.monitoring.Promtool;
import io.carpd.cli.monitoring.ReferencedMetrics;
import io.carpd.testing.Netns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Config sync between two real daemons in the namespace lab: fw1 (MASTER) pushes an nftables file
 * whose validate step is {@code nft -c -f {}} and apply step {@code nft -f {}}; each node keeps the
 * file under its own lab directory, so the path mapping per node is exercised too. One lab serves
 * the class (two JVMs and an election cost ~20 s); every test starts by pushing a known baseline.
 * The version-mismatch test restarts fw2 with the {@code carpd.configSync.version} test hook and
 * runs last. Needs root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigSyncNetnsTest {
    private static final Duration ELECTION = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION_HOOK = "carpd.configSync.version";
    /** Chosen so the 6 MiB file of the interruption test takes ~6 s; small files are unaffected. */
    private static final int RATE_KIBPS = 1024;
    private static final String LAST_SUCCESS = "carpd_config_sync_last_success_timestamp_seconds";
    private static final String LAST_ATTEMPT = "carpd_config_sync_last_attempt_timestamp_seconds";

    private Lab lab;

    @BeforeAll
    void setUp() throws IOException {
        Netns.assumeAvailable();
        lab = LabFixture.create(LabProfile.reference());
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Path dir = lab.layout().dir().resolve(fw.label());
            Files.createDirectories(dir.resolve("etc"));
            Path key = dir.resolve("sync.key");
            Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(nftFile(fw), ruleset("baseline", 2222));
            Files.writeString(bigFile(fw), "small\n");
            Files.writeString(lab.layout().config(fw), syncSections(fw), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        // fw2 starts with a working ruleset of its own
        Namespaces.exec(lab.topology().ns(LabNode.FW2), "nft", "-f", nftFile(LabNode.FW2).toString());
        lab.startDaemons();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).as("fw1 is MASTER; %s", lab.status().render()).isTrue();
        assertThat(Lab.await(() -> linkUp(LabNode.FW1), Duration.ofSeconds(20), Duration.ofMillis(200)))
                .as("config-sync link up").isTrue();
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private String syncSections(LabNode fw) {
        Path dir = lab.layout().dir().resolve(fw.label());
        return "sync:\n"
                + "  interface: sync\n"
                + "  local: " + Topology.address(fw, Segment.SYNC) + "\n"
                + "  peer: " + Topology.address(fw.other(), Segment.SYNC) + "\n"
                + "  key_file: " + dir.resolve("sync.key") + "\n"
                + "config_sync:\n"
                + "  transfer_timeout_s: 3\n"
                + "  rate_limit_kibps: " + RATE_KIBPS + "\n"
                + "  keep_versions: 3\n"
                + "  after_reload: " + (fw == LabNode.FW1) + "\n"
                + (fw == LabNode.FW1 ? "  vhids: {role: send}\n"
                        : "  vhids: {role: receive, file: " + vhidsFile() + "}\n")
                + "  files:\n"
                + "    - name: nftables\n"
                + "      path: " + nftFile(fw) + "\n"
                + "      validate: nft -c -f {}\n"
                + "      apply: nft -f {}\n"
                + "    - name: bulk\n"
                + "      path: " + bigFile(fw) + "\n"
                // applied after nftables; refuses content starting with FAIL (the apply-failure test)
                + "      apply: \"! grep -q '^FAIL' {}\"\n";
    }

    private Path nftFile(LabNode fw) {
        return lab.layout().dir().resolve(fw.label()).resolve("etc").resolve("nftables.conf");
    }

    private Path bigFile(LabNode fw) {
        return lab.layout().dir().resolve(fw.label()).resolve("etc").resolve("bulk.dat");
    }

    private Path vhidsFile() {
        return lab.layout().dir().resolve("fw2").resolve("vhids.synced.yaml");
    }

    private Path socket(LabNode fw) {
        return lab.layout().runtimeDir(fw).resolve("carpd.sock");
    }

    /** Only our own table: replaced as a whole, nothing else of the namespace's ruleset is touched. */
    private static String ruleset(String comment, int... ports) {
        StringBuilder s = new StringBuilder("table inet carpdtest\ndelete table inet carpdtest\n"
                + "table inet carpdtest {\n  chain input {\n    type filter hook input priority 0; policy accept;\n");
        for (int p : ports) {
            s.append("    tcp dport ").append(p).append(" accept comment \"").append(comment).append("\"\n");
        }
        return s.append("  }\n}\n").toString();
    }

    private String liveRuleset(LabNode fw) {
        return Namespaces.exec(lab.topology().ns(fw), "nft", "list", "ruleset");
    }

    record Cli(int exit, String out, String err) {}

    private Cli carpd(LabNode fw, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--socket");
        argv.add(socket(fw).toString());
        int code = cl.execute(argv.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private JsonNode status(LabNode fw) {
        Cli c = carpd(fw, "sync", "config", "--status", "--json");
        try {
            return c.exit() == 0 ? JSON.readTree(c.out()) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean linkUp(LabNode fw) {
        return status(fw).path("link_up").asBoolean();
    }

    private void pushBaseline(int... ports) throws IOException {
        Files.writeString(nftFile(LabNode.FW1), ruleset("baseline", ports));
        Files.writeString(bigFile(LabNode.FW1), "small\n");
        Cli c = carpd(LabNode.FW1, "sync", "config");
        assertThat(c.exit()).as("baseline push: %s%s", c.out(), c.err()).isZero();
    }

    @Test
    @Order(1)
    void ruleAddedOnFw1AppearsInFw2LiveRuleset() throws IOException {
        pushBaseline(2222);
        Files.writeString(nftFile(LabNode.FW1), ruleset("added-on-fw1", 2222, 4444));

        Cli c = carpd(LabNode.FW1, "sync", "config");

        assertThat(c.exit()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).contains("config push to fw2").contains("nftables: applied");
        assertThat(liveRuleset(LabNode.FW2)).contains("tcp dport 4444 accept").contains("added-on-fw1");
        assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(Files.readString(nftFile(LabNode.FW1)));
        JsonNode st = status(LabNode.FW1);
        assertThat(st.path("last_sent").path("ok").asBoolean()).isTrue();
        JsonNode nft = st.path("sections").get(1);
        assertThat(nft.path("name").asText()).isEqualTo("nftables");
        assertThat(nft.path("local").asText()).as("hashes of both nodes agree").isEqualTo(nft.path("peer").asText());
        Cli human = carpd(LabNode.FW1, "status");
        assertThat(human.out()).contains("config sync: link up").contains("nftables here");
    }

    @Test
    @Order(2)
    void metricsShowWhenEachNodeLastPushedAndLastAppliedConfig(@TempDir Path tmp) throws Exception {
        double before = System.currentTimeMillis() / 1000.0;
        pushBaseline(2222);
        double after = System.currentTimeMillis() / 1000.0;

        double sent = sample(LabNode.FW1, LAST_SUCCESS, "direction=\"sent\"");
        double received = sample(LabNode.FW2, LAST_SUCCESS, "direction=\"received\"");
        assertThat(sent).as("fw1 pushed").isBetween(before, after);
        assertThat(received).as("fw2 applied").isBetween(before, after);
        assertThat(sample(LabNode.FW1, LAST_SUCCESS, "direction=\"received\"")).as("fw1 never applied a push").isZero();
        assertThat(sample(LabNode.FW2, LAST_SUCCESS, "direction=\"sent\"")).as("fw2 never pushed").isZero();

        double failedBefore = sample(LabNode.FW2, "carpd_config_sync_total", "direction=\"received\",result=\"failed\"");
        Files.writeString(nftFile(LabNode.FW1), ruleset("broken", 2222).replace("accept", "acept"));
        assertThat(carpd(LabNode.FW1, "sync", "config").exit()).as("fw2 refuses the broken ruleset").isEqualTo(1);

        assertThat(sample(LabNode.FW1, LAST_SUCCESS, "direction=\"sent\"")).as("a failed push leaves it").isEqualTo(sent);
        assertThat(sample(LabNode.FW2, LAST_SUCCESS, "direction=\"received\"")).as("a failed apply leaves it").isEqualTo(received);
        assertThat(sample(LabNode.FW1, LAST_ATTEMPT, "direction=\"sent\"")).isGreaterThan(sent);
        assertThat(sample(LabNode.FW2, LAST_ATTEMPT, "direction=\"received\"")).isGreaterThan(received);
        assertThat(sample(LabNode.FW2, "carpd_config_sync_total", "direction=\"received\",result=\"failed\""))
                .isEqualTo(failedBefore + 1);

        double failedAt = sample(LabNode.FW1, LAST_ATTEMPT, "direction=\"sent\"");
        double dryRunsBefore = sample(LabNode.FW1, "carpd_config_sync_total", "direction=\"sent\",result=\"ok\"");
        Files.writeString(nftFile(LabNode.FW1), ruleset("baseline", 2222));
        assertThat(carpd(LabNode.FW1, "sync", "config", "--dry-run").exit()).isZero();
        assertThat(sample(LabNode.FW1, "carpd_config_sync_total", "direction=\"sent\",result=\"ok\""))
                .as("a dry run is counted").isEqualTo(dryRunsBefore + 1);
        assertThat(sample(LabNode.FW1, LAST_ATTEMPT, "direction=\"sent\"")).as("but is no push").isEqualTo(failedAt);
        assertThat(sample(LabNode.FW1, LAST_SUCCESS, "direction=\"sent\"")).isEqualTo(sent);
        assertThat(sample(LabNode.FW2, LAST_SUCCESS, "direction=\"received\"")).isEqualTo(received);

        Promtool.assumeInstalled();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            Promtool.Result r = Promtool.run(tmp, lab.metrics(fw), "check", "metrics");
            assertThat(r.exitCode()).as("promtool check metrics on %s: %s", fw.label(), r.output()).isZero();
            assertThat(r.output()).as("promtool lint findings on %s", fw.label()).isBlank();
        }
        assertThat(ReferencedMetrics.referenced(ReferencedMetrics.CONFIG_SYNC_ONLY)).as("the dashboard and rules read it")
                .containsKey(LAST_SUCCESS);
        assertThat(ReferencedMetrics.missing(ReferencedMetrics.CONFIG_SYNC_ONLY, Set.of(), lab.metrics(LabNode.FW1),
                lab.metrics(LabNode.FW2))).as("config-sync metrics read by the dashboard or the rules that carpd does not export")
                .isEmpty();
    }

    /** The value of {@code metric{labels}} in {@code fw}'s /metrics. */
    private double sample(LabNode fw, String metric, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels + "} ") + "(\\S+)$").matcher(lab.metrics(fw));
        assertThat(m.find()).as("%s{%s} on %s", metric, labels, fw.label()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(3)
    void brokenRulesetIsRefusedByFw2AndFw1ReportsIt() throws IOException {
        pushBaseline(2222, 3333);
        String fw2Before = Files.readString(nftFile(LabNode.FW2));
        Files.writeString(nftFile(LabNode.FW1), ruleset("broken", 2222, 3333).replace("tcp dport 3333 accept", "tcp dport 3333 acept"));

        Cli c = carpd(LabNode.FW1, "sync", "config");

        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains("FAILED").contains("validation failed for nftables").contains("nothing was applied")
                .contains("nftables: invalid").contains("nft -c -f");
        assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(fw2Before);
        assertThat(liveRuleset(LabNode.FW2)).contains("tcp dport 3333 accept").doesNotContain("broken");
        assertThat(status(LabNode.FW1).path("last_sent").path("ok").asBoolean()).isFalse();
        assertThat(stagingLeftovers(LabNode.FW2)).isEmpty();
    }

    @Test
    @Order(4)
    void pushFromTheBackupIsRefused() throws IOException {
        pushBaseline(2222);
        String fw1Before = Files.readString(nftFile(LabNode.FW1));

        Cli c = carpd(LabNode.FW2, "sync", "config");

        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains("refusing to push config from fw2").contains("not MASTER").contains("BACKUP");
        assertThat(Files.readString(nftFile(LabNode.FW1))).isEqualTo(fw1Before);
    }

    @Test
    @Order(5)
    void dryRunShowsTheDiffAndChangesNothing() throws IOException {
        pushBaseline(2222);
        String fw2Before = Files.readString(nftFile(LabNode.FW2));
        Files.writeString(nftFile(LabNode.FW1), ruleset("baseline", 2222, 5555));

        Cli c = carpd(LabNode.FW1, "sync", "config", "--dry-run");

        assertThat(c.exit()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).contains("config dry run to fw2").contains("nothing was changed")
                .contains("nftables: changed").contains("bulk: unchanged")
                .contains("--- fw2:" + nftFile(LabNode.FW2)).contains("+++ fw1:nftables")
                .contains("+    tcp dport 5555 accept comment \"baseline\"");
        assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(fw2Before);
        assertThat(liveRuleset(LabNode.FW2)).doesNotContain("5555");
        assertThat(stagingLeftovers(LabNode.FW2)).isEmpty();
    }

    @Test
    @Order(6)
    void rollbackOnFw2RestoresThePreviousVersion() throws IOException {
        pushBaseline(2222);
        String v1 = Files.readString(nftFile(LabNode.FW2));
        Files.writeString(nftFile(LabNode.FW1), ruleset("second", 2222, 6666));
        assertThat(carpd(LabNode.FW1, "sync", "config").exit()).isZero();
        assertThat(liveRuleset(LabNode.FW2)).contains("6666");

        Cli c = carpd(LabNode.FW2, "sync", "config", "--rollback");

        assertThat(c.exit()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).contains("config rollback on fw2").contains("nftables: restored");
        assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(v1);
        assertThat(liveRuleset(LabNode.FW2)).doesNotContain("6666").contains("tcp dport 2222 accept");
    }

    @Test
    @Order(7)
    void failedApplyRestoresEveryFileAndReappliesTheRulesetApplyEarlier() throws IOException {
        pushBaseline(2222);
        String nftBefore = Files.readString(nftFile(LabNode.FW2));
        Files.writeString(nftFile(LabNode.FW1), ruleset("half", 2222, 9999));
        Files.writeString(bigFile(LabNode.FW1), "FAIL on purpose\n");
        try {
            Cli c = carpd(LabNode.FW1, "sync", "config");

            assertThat(c.exit()).isEqualTo(1);
            assertThat(c.err()).contains("apply of bulk failed; every file of this sync was restored and nftables re-applied")
                    .contains("nftables: restored").contains("bulk: failed");
            assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(nftBefore);
            assertThat(Files.readString(bigFile(LabNode.FW2))).isEqualTo("small\n");
            // nftables had been applied with 9999 before bulk failed; the re-run apply took it out again
            assertThat(liveRuleset(LabNode.FW2)).doesNotContain("9999").contains("tcp dport 2222 accept");
        } finally {
            Files.writeString(bigFile(LabNode.FW1), "small\n");
        }
    }

    @Test
    @Order(8)
    void interruptedTransferLeavesFw2OnItsOldConfig() throws Exception {
        pushBaseline(2222);
        String fw2Before = Files.readString(bigFile(LabNode.FW2));
        byte[] big = new byte[6 << 20];
        new Random(42).nextBytes(big);
        Files.write(bigFile(LabNode.FW1), big);
        Files.writeString(nftFile(LabNode.FW1), ruleset("interrupted", 2222, 7777));

        CompletableFuture<Cli> push = CompletableFuture.supplyAsync(() -> carpd(LabNode.FW1, "sync", "config"));
        try {
            assertThat(Lab.await(() -> status(LabNode.FW2).path("receiving").path("bytes_received").asLong() > 0,
                    Duration.ofSeconds(10), Duration.ofMillis(100))).as("fw2 is receiving").isTrue();
            syncLink(false); // the sync cable is cut mid-transfer
            Cli c = push.get(90, TimeUnit.SECONDS);

            assertThat(c.exit()).isEqualTo(1);
            assertThat(c.err()).contains("FAILED").contains("keeps its previous configuration");
            assertThat(Lab.await(() -> status(LabNode.FW2).path("last_received").path("message").asText().contains("abandoned"),
                    Duration.ofSeconds(15), Duration.ofMillis(200))).as("fw2 abandons the transfer").isTrue();
            assertThat(Files.readString(bigFile(LabNode.FW2))).isEqualTo(fw2Before);
            assertThat(liveRuleset(LabNode.FW2)).doesNotContain("7777");
            assertThat(stagingLeftovers(LabNode.FW2)).isEmpty();
            assertThat(status(LabNode.FW2).path("counters").path("abandoned").asLong()).isEqualTo(1);
        } finally {
            syncLink(true);
            Files.writeString(bigFile(LabNode.FW1), "small\n");
        }
        assertThat(Lab.await(() -> linkUp(LabNode.FW1), Duration.ofSeconds(30), Duration.ofMillis(200))).isTrue();
    }

    @Test
    @Order(9)
    void vhidDefinitionsReachFw2WithDerivedAdvskewByTheAutomaticPushAfterReload() throws IOException {
        pushBaseline(2222);
        assertThat(advskews(LabNode.FW2)).as("fw1's advskew 0 arrives as 100").containsExactly(100, 100);
        Path fw1Config = lab.layout().config(LabNode.FW1);
        String original = Files.readString(fw1Config);
        try {
            Files.writeString(fw1Config, original.replaceFirst("(?m)^  advskew: 0$", "  advskew: 7"));

            // after_reload is set on fw1: the reload alone pushes, once fw1 is MASTER again
            assertThat(carpd(LabNode.FW1, "reload").exit()).isZero();

            assertThat(Lab.await(() -> advskews(LabNode.FW2).equals(List.of(107, 107)), Duration.ofSeconds(30),
                    Duration.ofMillis(200))).as("fw2 reloaded with the derived advskew").isTrue();
            assertThat(Files.readString(vhidsFile())).contains("from: fw1").contains("advskew: 107");
            assertThat(status(LabNode.FW1).path("last_sent").path("message").asText()).isEqualTo("applied");
            JsonNode st = status(LabNode.FW1).path("sections").get(0);
            assertThat(st.path("name").asText()).isEqualTo("vhids");
            assertThat(st.path("local").asText()).isEqualTo(st.path("peer").asText());
        } finally {
            Files.writeString(fw1Config, original);
            carpd(LabNode.FW1, "reload");
        }
        assertThat(Lab.await(() -> advskews(LabNode.FW2).equals(List.of(100, 100)), Duration.ofSeconds(30),
                Duration.ofMillis(200))).isTrue();
        assertThat(awaitFw1MasterOfAll()).isTrue();
    }

    private boolean awaitFw1MasterOfAll() {
        return Lab.await(() -> {
            try {
                JsonNode s = JSON.readTree(carpd(LabNode.FW1, "status", "--json").out());
                List<String> states = new ArrayList<>();
                s.path("vips").forEach(v -> states.add(v.path("state").asText()));
                return states.equals(List.of("MASTER", "MASTER"));
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(20), Duration.ofMillis(100));
    }

    private List<Integer> advskews(LabNode fw) {
        Cli c = carpd(fw, "status", "--json");
        try {
            List<Integer> out = new ArrayList<>();
            JSON.readTree(c.out()).path("vips").forEach(v -> out.add(v.path("advskew").asInt()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(10)
    void splitBrainPushIntoAnotherMasterIsRefusedByTheReceiver() throws IOException {
        pushBaseline(2222);
        String fw2Before = Files.readString(nftFile(LabNode.FW2));
        lab.topology().dropCarpMulticast(); // neither hears the other: both become MASTER
        try {
            assertThat(Lab.await(() -> lab.topology().vipHolders().get(LabVip.LAN).size() == 2, Duration.ofSeconds(20),
                    Duration.ofMillis(100))).as("split brain; %s", lab.status().render()).isTrue();
            Files.writeString(nftFile(LabNode.FW1), ruleset("split", 2222, 1111));

            Cli c = carpd(LabNode.FW1, "sync", "config");

            assertThat(c.exit()).isEqualTo(1);
            assertThat(c.err()).contains("refused: fw2 is MASTER too (vhid 1 on wan, vhid 2 on lan)");
            assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(fw2Before);
        } finally {
            Namespaces.exec(lab.topology().ns(LabNode.SWITCH), "nft", "delete", "table", "bridge", "carplab");
        }
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).as(lab.status().render()).isTrue();
    }

    @Test
    @Order(11)
    void versionMismatchIsRefusedNamingBothVersions() throws IOException {
        lab.daemons().terminate(LabNode.FW2);
        assertThat(lab.daemons().awaitExit(LabNode.FW2, Duration.ofSeconds(15))).isTrue();
        List<String> argv = new ArrayList<>(io.carpd.cli.lab.CarpdLauncher.current()
                .command(List.of("run", "-c", lab.layout().config(LabNode.FW2).toString())));
        argv.add(1, "-D" + VERSION_HOOK + "=9.9.9-test");
        Namespaces.spawn(lab.topology().ns(LabNode.FW2), argv, lab.layout().log(LabNode.FW2));
        assertThat(Lab.await(() -> "9.9.9-test".equals(status(LabNode.FW1).path("peer").path("carpd_version").asText()),
                Duration.ofSeconds(40), Duration.ofMillis(300))).as("fw1 sees fw2's claimed version").isTrue();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).isTrue();
        String fw2Before = Files.readString(nftFile(LabNode.FW2));
        Files.writeString(nftFile(LabNode.FW1), ruleset("mismatch", 2222, 8888));

        Cli c = carpd(LabNode.FW1, "sync", "config");

        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).contains("refused: version mismatch").contains("fw1 runs carpd ")
                .contains("fw2 runs carpd 9.9.9-test (config schema 1)");
        assertThat(Files.readString(nftFile(LabNode.FW2))).isEqualTo(fw2Before);
        assertThat(liveRuleset(LabNode.FW2)).doesNotContain("8888");
    }

    private void syncLink(boolean up) {
        Namespaces.ip(lab.topology().ns(LabNode.FW1), "link", "set", Segment.SYNC.iface(), up ? "up" : "down");
    }

    private List<Path> stagingLeftovers(LabNode fw) throws IOException {
        try (Stream<Path> s = Files.list(nftFile(fw).getParent())) {
            return s.filter(p -> p.getFileName().toString().contains(".carpd-")).toList();
        }
    }
}
