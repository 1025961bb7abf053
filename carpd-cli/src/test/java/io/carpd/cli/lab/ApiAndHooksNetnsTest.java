package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Who may change a running daemon and what bad calls get back, and the transition hooks, against
 * two real daemons in the namespace lab (issue #4). One lab is shared by the class and reset
 * between tests. fw1 also listens on TCP 127.0.0.1:8118 inside its namespace with a token file;
 * both firewalls have a hook directory with two recording hooks and a 2 s hook timeout. Needs root.
 */
class ApiAndHooksNetnsTest extends SharedLabTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(12);
    private static final Pattern HTTP_STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final int NOBODY = 65534;

    @Test
    void tcpListenerAnswersReadsButRefusesChangesWithoutTheToken() {
        Http status = tcp("GET", "/api/v1/status", null, null);
        assertThat(status.code()).as(status.raw()).isEqualTo(200);
        assertThat(status.body()).contains("\"node\":\"fw1\"");

        String demote = "{\"group\":\"carp\",\"value\":30}";
        Http none = tcp("POST", "/api/v1/demote", demote, null);
        assertThat(none.code()).as(none.raw()).isEqualTo(401);
        assertThat(none.body()).contains("Authorization: Bearer");
        Http wrong = tcp("POST", "/api/v1/demote", demote, "not-the-token");
        assertThat(wrong.code()).as(wrong.raw()).isEqualTo(403);
        assertThat(wrong.body()).contains("bad token");
        assertThat(shared.status(LabNode.FW1).path("demotion").path("carp").has("operator"))
                .as("refused calls changed nothing").isFalse();

        Http ok = tcp("POST", "/api/v1/demote", demote, SharedLab.TOKEN);
        assertThat(ok.code()).as(ok.raw()).isEqualTo(200);
        assertThat(shared.status(LabNode.FW1).path("demotion").path("carp").path("operator").asInt()).isEqualTo(30);
        Http reset = tcp("POST", "/api/v1/demote", "{\"group\":\"carp\",\"reset\":true}", SharedLab.TOKEN);
        assertThat(reset.code()).as(reset.raw()).isEqualTo(200);
        assertThat(shared.status(LabNode.FW1).path("demotion").path("carp").has("operator")).isFalse();
    }

    @Test
    void controlSocketRefusesOtherUsersWithOneLineAndExit1() throws IOException {
        Path copy = Files.createTempDirectory("carpd-nobody-");
        Path socket = shared.socket(LabNode.FW1);
        try {
            // the socket's mode 0600 stops them at connect
            CarpdCli.Outcome status = CarpdCli.runAs(NOBODY, NOBODY, copy, "status", "--socket", socket.toString());
            assertThat(status.exit()).as(status.toString()).isEqualTo(1);
            assertThat(status.err().strip()).as(status.toString()).startsWith("carpd status: ").contains("Permission denied")
                    .doesNotContain("\n");

            // the real guard is the peer-credential check: with the mode opened up they are still refused
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            CarpdCli.Outcome on = CarpdCli.runAs(NOBODY, NOBODY, copy, "maintenance", "on", "--socket", socket.toString());
            assertThat(on.exit()).as(on.toString()).isEqualTo(1);
            assertThat(on.err().strip()).as(on.toString()).isEqualTo("carpd maintenance: uid " + NOBODY + " is not root");
            assertThat(on.out()).isEmpty();
            assertThat(shared.status(LabNode.FW1).path("maintenance").asBoolean()).as("nothing changed").isFalse();
            assertThat(shared.topology().soleOwner(LabNode.FW1)).isTrue();
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            deleteTree(copy);
        }
    }

    @Test
    void badCallsGetAClearMessageAndTheRightCode() throws IOException {
        ControlClient fw1 = new ControlClient(shared.socket(LabNode.FW1));

        ControlClient.Response vip = fw1.get("/api/v1/vips/lan/2");
        assertThat(vip.status()).as(vip.body()).isEqualTo(200);
        assertThat(vip.body()).contains("\"vhid\":2");
        ControlClient.Response unknown = fw1.get("/api/v1/vips/lan/99");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("no vhid 99 on lan");

        ControlClient.Response malformed = fw1.post("/api/v1/demote", "{\"group\":\"carp\",\"value\":");
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"error\":\"malformed JSON at line 1");
        ControlClient.Response wrongType = fw1.post("/api/v1/maintenance", "{\"enabled\":\"yes\"}");
        assertThat(wrongType.status()).as(wrongType.body()).isEqualTo(400);
        assertThat(wrongType.body()).contains("field 'enabled' must be true or false");
        ControlClient.Response unknownGroup = fw1.post("/api/v1/demote", "{\"group\":\"nosuch\",\"value\":10}");
        assertThat(unknownGroup.status()).as(unknownGroup.body()).isEqualTo(404);
        assertThat(unknownGroup.body()).contains("no VHID is in demotion group 'nosuch'");

        CarpdCli.Outcome verb = CarpdCli.run("frobnicate");
        assertThat(verb.exit()).as(verb.toString()).isEqualTo(2);
        assertThat(verb.err()).contains("frobnicate");
        CarpdCli.Outcome range = shared.cli(LabNode.FW1, "demote", "300");
        assertThat(range.exit()).as(range.toString()).isEqualTo(2);
        assertThat(range.err()).contains("N must be 0..255, got 300");
        CarpdCli.Outcome setting = shared.cli(LabNode.FW1, "maintenance", "maybe");
        assertThat(setting.exit()).as(setting.toString()).isEqualTo(2);
        assertThat(setting.err()).contains("maybe");

        Path config = shared.config(LabNode.FW1);
        String good = Files.readString(config);
        assertThat(good).contains("\n  advbase: 1\n");
        Files.writeString(config, good.replace("\n  advbase: 1\n", "\n  advbase: 1\n  adv_base: 2\n"));
        CarpdCli.Outcome reload = shared.cli(LabNode.FW1, "reload");
        Files.writeString(config, good);
        assertThat(reload.exit()).as(reload.toString()).isEqualTo(1);
        assertThat(reload.err().lines().findFirst().orElse("")).as(reload.toString())
                .startsWith("carpd reload: reload refused: ").contains("fw1.yaml:7:").contains("adv_base");

        assertThat(shared.status(LabNode.FW1).path("effective_demotion").asInt()).as("nothing changed").isZero();
        assertThat(shared.status(LabNode.FW1).path("maintenance").asBoolean()).isFalse();
        assertThat(shared.topology().soleOwner(LabNode.FW1)).isTrue();
    }

    @Test
    void hooksRunInOrderWithTheDocumentedEnvironmentOnFailover() {
        shared.lab().fail(LabNode.FW1);
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, TAKEOVER)).as(shared.lab().status().render()).isTrue();
        assertThat(Lab.await(() -> shared.hookLines(LabNode.FW2).stream().anyMatch(l -> l.startsWith("20-second node MASTER")),
                Duration.ofSeconds(10), Duration.ofMillis(50))).as("hook lines %s", shared.hookLines(LabNode.FW2)).isTrue();

        List<String> lines = shared.hookLines(LabNode.FW2);
        assertThat(lines.size() % 3).as("%s", lines).isZero();
        for (int i = 0; i < lines.size(); i += 3) {
            // every event runs the configured command, then the directory's hooks in name order,
            // each with the same arguments and environment
            assertThat(lines.get(i)).as("%s", lines).startsWith(SharedLab.COMMAND_HOOK + " ");
            String rest = lines.get(i).substring(SharedLab.COMMAND_HOOK.length());
            assertThat(lines.get(i + 1)).as("%s", lines).isEqualTo("10-first" + rest);
            assertThat(lines.get(i + 2)).as("%s", lines).isEqualTo("20-second" + rest);
        }
        List<String> events = lines.stream().filter(l -> l.startsWith("10-first ")).toList();
        for (LabVip vip : LabVip.values()) {
            String expected = "10-first vhid MASTER event=vhid vhid=" + vip.vhid() + " if=" + vip.iface()
                    + " old=BACKUP new=MASTER node=fw2 role=";
            assertThat(events).as("the %s takeover", vip)
                    .anyMatch(l -> l.startsWith(expected) && l.contains(" vips=" + vip.cidr() + " demotion=0 group= reason=")
                            && l.matches(".* reason=no (IPv4 )?advertisement for \\d+\\.\\d+ s$"));
        }
        int first = indexOf(events, "vhid MASTER");
        int last = lastIndexOf(events, "vhid MASTER");
        assertThat(events.get(first)).as("after the first takeover fw2 is master of one VHID only").contains("role=MIXED");
        assertThat(events.get(last)).contains("role=MASTER");
        assertThat(events.getLast()).as("the node event comes after the VHID events that caused it")
                .startsWith("10-first node MASTER event=node vhid= if= old=MIXED new=MASTER node=fw2 role=MASTER vips= demotion= group= reason=no ");
    }

    @Test
    void hangingHookIsKilledAtItsTimeoutAndFailoverDoesNotWaitForIt() {
        // sorted between the recording hooks; hangs on each VHID becoming master
        shared.writeHook(LabNode.FW2, "15-hang", "if [ \"$1\" = vhid ] && [ \"$2\" = MASTER ]; then sleep 3600; fi\n");
        Topology t = shared.topology();
        double masterDown = shared.lab().profile().masterDownSeconds();

        Pattern killed = Pattern.compile("hook \\S+/15-hang \\(vhid \\d on \\w+ BACKUP -> MASTER\\) timed out after "
                + SharedLab.HOOK_TIMEOUT_S * 1000 + " ms; killed it and 1 descendant");

        long failed = System.nanoTime();
        shared.lab().fail(LabNode.FW1);
        boolean tookOver = Lab.await(() -> t.holdsAll(LabNode.FW2), TAKEOVER, Duration.ofMillis(20));
        long tookMs = (System.nanoTime() - failed) / 1_000_000;
        List<String> killedBeforeTakeover = shared.logLines(LabNode.FW2, killed);

        assertThat(tookOver).as(shared.lab().status().render()).isTrue();
        // fw1's last advert left at most one advert interval before the kill; margin for a loaded machine
        assertThat(tookMs).as("kill of fw1 to fw2 holding both VIPs, ms (master-down %.2f s)", masterDown)
                .isLessThan((long) (masterDown * 1000) + 1000);
        // both VHIDs took over before the first hanging hook reached its timeout: failover did not wait for it
        assertThat(killedBeforeTakeover).as("hooks killed before fw2 held both VIPs").isEmpty();
        assertThat(Lab.await(() -> hangingSleeps(LabNode.FW2) > 0, Duration.ofMillis(1500), Duration.ofMillis(20)))
                .as("the hook of the takeover hangs (sleep 3600 running in fw2's namespace)").isTrue();
        assertThat(t.holdsAll(LabNode.FW2)).as(shared.lab().status().render()).isTrue();
        assertThat(Lab.await(() -> shared.logLines(LabNode.FW2, killed).size() == 2, Duration.ofSeconds(15), Duration.ofMillis(100)))
                .as("both hanging hooks killed at the timeout: %s", shared.logLines(LabNode.FW2, Pattern.compile("15-hang"))).isTrue();
        assertThat(Lab.await(() -> hangingSleeps(LabNode.FW2) == 0, Duration.ofSeconds(5), Duration.ofMillis(100)))
                .as("no 'sleep 3600' left in fw2's namespace").isTrue();
        // the hooks after the killed one still ran, and later events' hooks too
        assertThat(Lab.await(() -> shared.hookLines(LabNode.FW2).stream().anyMatch(l -> l.startsWith("20-second node MASTER")),
                Duration.ofSeconds(10), Duration.ofMillis(100))).as("%s", shared.hookLines(LabNode.FW2)).isTrue();
        for (LabVip vip : LabVip.values()) {
            assertThat(shared.hookLines(LabNode.FW2)).anyMatch(l -> l.startsWith("20-second vhid MASTER event=vhid vhid=" + vip.vhid() + " "));
        }
        assertThat(t.soleOwner(LabNode.FW2)).as(shared.lab().status().render()).isTrue();
    }

    /** Processes in {@code fw}'s namespace running {@code sleep 3600}. */
    private static long hangingSleeps(LabNode fw) {
        return Namespaces.pids(shared.topology().ns(fw)).stream().filter(pid -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).equals("sleep\u00003600\u0000");
            } catch (IOException gone) {
                return false;
            }
        }).count();
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) return i;
        }
        throw new AssertionError("no line with '" + part + "' in " + lines);
    }

    private static int lastIndexOf(List<String> lines, String part) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(part)) return i;
        }
        throw new AssertionError("no line with '" + part + "' in " + lines);
    }

    /** An HTTP exchange as the client saw it. */
    private record Http(int code, String body, String raw) {}

    /**
     * One HTTP/1.1 request to fw1's TCP listener, sent from inside fw1's namespace with socat (the
     * listener is on that namespace's loopback).
     */
    private static Http tcp(String method, String path, String body, String token) {
        String payload = body == null ? "" : body;
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (token != null) req.append("Authorization: Bearer ").append(token).append("\r\n");
        if (body != null) req.append("Content-Type: application/json\r\n");
        req.append("Content-Length: ").append(payload.length()).append("\r\n\r\n").append(payload);
        Namespaces.Result r = Namespaces.tryRun(List.of("ip", "netns", "exec", shared.topology().ns(LabNode.FW1),
                "socat", "-t", "5", "-", "TCP:127.0.0.1:" + SharedLab.TCP_PORT), req.toString());
        assertThat(r.ok()).as("socat: %s", r.stderr()).isTrue();
        Matcher m = HTTP_STATUS.matcher(r.stdout());
        assertThat(m.find()).as("an HTTP answer: %s", r.stdout()).isTrue();
        int split = r.stdout().indexOf("\r\n\r\n");
        return new Http(Integer.parseInt(m.group(1)), split < 0 ? "" : r.stdout().substring(split + 4), r.stdout());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
