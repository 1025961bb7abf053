package io.carpd.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    static final String TOKEN = "s3cret-token";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FakeControlPlane plane;
    ControlServer server;
    ControlClient unix;
    ControlClient tcpWithToken;
    ControlClient tcpAnonymous;

    @BeforeEach
    void start() throws IOException {
        plane = new FakeControlPlane();
        var settings = new ControlServerSettings(dir.resolve("run/carpd.sock"), null,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TOKEN);
        server = ControlServer.start(plane, new CarpdMetrics(plane, "test"), settings);
        unix = new ControlClient(server.socketPath());
        InetSocketAddress tcp = server.tcpAddress().orElseThrow();
        tcpWithToken = new ControlClient(tcp, TOKEN);
        tcpAnonymous = new ControlClient(tcp, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static JsonNode json(ControlClient.Response r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void statusOverUnixSocketIsTheSnapshotInSnakeCase() throws IOException {
        var r = unix.get("/api/v1/status");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        JsonNode s = json(r);
        assertThat(s.get("node").asText()).isEqualTo("fw1");
        assertThat(s.get("effective_demotion").asInt()).isZero();
        assertThat(s.get("maintenance").asBoolean()).isFalse();
        JsonNode lan = s.get("vips").get(0);
        assertThat(lan.get("iface").asText()).isEqualTo("lan");
        assertThat(lan.get("vhid").asInt()).isEqualTo(2);
        assertThat(lan.get("state").asText()).isEqualTo("MASTER");
        assertThat(lan.get("advertised_skew").asInt()).isZero();
        assertThat(lan.get("addresses")).extracting(JsonNode::asText).containsExactly("192.0.2.254/24", "2001:db8::254/64");
        assertThat(lan.get("last_transition").get("reason").asText()).isEqualTo("no advertisement for 3.39 s");
        assertThat(lan.get("last_transition").get("at").asText()).isEqualTo("2026-11-25T20:00:00Z");
        assertThat(s.get("vips").get(1).get("last_transition").isNull()).isTrue();
        assertThat(s.get("counters").get("interfaces").get("lan").get("drops").get("bad_hmac").asLong()).isEqualTo(2);
    }

    @Test
    void statusIsReadableOverTcpWithoutToken() throws IOException {
        var r = tcpAnonymous.get("/api/v1/status");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("node").asText()).isEqualTo("fw1");
    }

    @Test
    void socketIsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socketPath()))).isEqualTo("rw-------");
    }

    @Test
    void socketGroupGetsReadWrite() throws IOException {
        server.close();
        GroupPrincipal myGroup = (GroupPrincipal) Files.getAttribute(dir, "posix:group");
        Path sock = dir.resolve("grp.sock");
        server = ControlServer.start(plane, new CarpdMetrics(plane, "test"),
                new ControlServerSettings(sock, myGroup.getName(), null, null));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-rw----");
        assertThat(Files.getAttribute(sock, "posix:group")).isEqualTo(myGroup);
        assertThat(new ControlClient(sock).get("/api/v1/status").status()).isEqualTo(200);
    }

    @Test
    void unknownSocketGroupIsAnErrorNamingIt() {
        server.close();
        var settings = new ControlServerSettings(dir.resolve("x.sock"), "no-such-group-cd42", null, null);
        assertThatThrownBy(() -> ControlServer.start(plane, new CarpdMetrics(plane, "t"), settings))
                .isInstanceOf(IOException.class).hasMessageContaining("api.socket_group no-such-group-cd42");
    }

    @Test
    void staleSocketFileIsReplacedButARegularFileIsNot() throws IOException {
        server.close();
        Path sock = dir.resolve("stale.sock");
        var first = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(sock));
        // Simulate a crash: the socket file stays behind while nobody listens.
        Files.move(sock, dir.resolve("keep.sock"));
        first.close();
        Files.move(dir.resolve("keep.sock"), sock);
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(sock));
        assertThat(new ControlClient(sock).get("/api/v1/status").status()).isEqualTo(200);

        Path regular = Files.writeString(dir.resolve("file.sock"), "not a socket");
        assertThatThrownBy(() ->
                        ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(regular)))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a socket");
    }

    @Test
    void aSocketInUseIsNotTakenOver() throws IOException {
        var settings = ControlServerSettings.unixOnly(server.socketPath());
        assertThatThrownBy(() -> ControlServer.start(plane, new CarpdMetrics(plane, "t"), settings))
                .isInstanceOf(IOException.class).hasMessageContaining("is in use by another process");
        assertThat(unix.get("/api/v1/status").status()).isEqualTo(200);
    }

    @Test
    void mutationOverTcpWithoutTokenIs401() throws IOException {
        var r = tcpAnonymous.post("/api/v1/maintenance", "{\"enabled\":true}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().get("www-authenticate")).startsWith("Bearer");
        assertThat(json(r).get("error").asText()).contains("Authorization: Bearer");
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void mutationOverTcpWithWrongTokenIs403() throws IOException {
        var r = new ControlClient(server.tcpAddress().orElseThrow(), "guess").post("/api/v1/disable", "");
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).isEqualTo("bad token");
        assertThat(plane.disabled).isFalse();
    }

    @Test
    void mutationOverTcpWithTokenWorks() throws IOException {
        var r = tcpWithToken.post("/api/v1/maintenance", "{\"enabled\":true}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("action").asText()).isEqualTo("maintenance_on");
        assertThat(plane.maintenance).isTrue();
        assertThat(json(tcpAnonymous.get("/api/v1/status")).get("effective_demotion").asInt()).isEqualTo(240);
    }

    @Test
    void tcpWithoutConfiguredTokenRefusesEveryMutation() throws IOException {
        server.close();
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), new ControlServerSettings(dir.resolve("b.sock"), null,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null));
        var r = new ControlClient(server.tcpAddress().orElseThrow(), "anything").post("/api/v1/reload", "");
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).contains("token_file");
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void unixSocketNeedsNoToken() throws IOException {
        assertThat(unix.post("/api/v1/disable", null).status()).isEqualTo(200);
        assertThat(plane.disabled).isTrue();
        assertThat(unix.post("/api/v1/enable", "{}").status()).isEqualTo(200);
        assertThat(plane.disabled).isFalse();
    }

    @Test
    void malformedJsonIs400WithPosition() throws IOException {
        var r = unix.post("/api/v1/maintenance", "{\"enabled\": tru}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).startsWith("malformed JSON at line 1, column").contains("tru");
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void wrongFieldsAre400NamingTheField() throws IOException {
        assertThat(json(unix.post("/api/v1/maintenance", "{\"enable\":true}")).get("error").asText())
                .startsWith("unknown field 'enable'");
        assertThat(json(unix.post("/api/v1/maintenance", "{}")).get("error").asText()).isEqualTo("missing field 'enabled' (true or false)");
        assertThat(json(unix.post("/api/v1/maintenance", "{\"enabled\":\"yes\"}")).get("error").asText())
                .startsWith("field 'enabled' must be true or false");
        var r = unix.post("/api/v1/demote", "{\"value\":300}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("field 'value' must be an integer 0..255, got 300");
        assertThat(json(unix.post("/api/v1/demote", "[1]")).get("error").asText()).isEqualTo("request body must be a JSON object");
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void demoteSetsAndResetsTheOperatorSource() throws IOException {
        var r = unix.post("/api/v1/demote", "{\"group\":\"carp\",\"value\":50}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(plane.demotion.get("carp")).containsEntry("operator", 50);
        assertThat(unix.post("/api/v1/demote", "{\"value\":20}").status()).isEqualTo(200);
        assertThat(plane.demotion.get("carp")).containsEntry("operator", 20);
        assertThat(json(unix.post("/api/v1/demote", "{\"reset\":true}")).get("action").asText()).isEqualTo("demote_reset");
        assertThat(plane.demotion.get("carp")).doesNotContainKey("operator");
        assertThat(unix.post("/api/v1/demote", "{\"reset\":true,\"value\":3}").status()).isEqualTo(400);
    }

    @Test
    void refusalsFromTheDaemonKeepTheirStatus() throws IOException {
        var r = unix.post("/api/v1/demote", "{\"group\":\"nosuch\",\"value\":10}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("no VHID is in group nosuch");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws IOException {
        var r = unix.get("/api/v1/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("no such path: /api/v1/nope");
        var m = unix.get("/api/v1/maintenance");
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.headers().get("allow")).isEqualTo("POST");
        assertThat(unix.post("/api/v1/status", "").status()).isEqualTo(405);
    }

    @Test
    void keepAliveConnectionAnswersPipelinedRequestsInOrder() throws IOException {
        try (var ch = SocketChannel.open(server.tcpAddress().orElseThrow())) {
            String requests = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(requests.getBytes()));
            String all = new String(Channels.newInputStream(ch).readAllBytes());
            int metrics = all.indexOf("# TYPE carpd_vip_state gauge");
            int notFound = all.indexOf("HTTP/1.1 404 Not Found");
            int status = all.indexOf("\"node\":\"fw1\"");
            assertThat(metrics).isPositive();
            assertThat(notFound).isGreaterThan(metrics);
            assertThat(status).isGreaterThan(notFound);
            assertThat(all.split("HTTP/1.1 ", -1)).hasSize(4);
        }
    }

    @Test
    void badPercentEscapesAre400() throws IOException {
        for (String uri : List.of("/api/v1/events?n=%zz", "/api/v1/st%zzatus", "/api/v1/status?%")) {
            var r = unix.get(uri);
            assertThat(r.status()).as(uri).isEqualTo(400);
            assertThat(json(r).get("error").asText()).startsWith("malformed URI " + uri);
        }
        var form = unix.exchange("POST", "/api/diagnostics/interface/get_vip_status", "mode%5B%5D=%z");
        assertThat(form.status()).isEqualTo(400);
        assertThat(json(form).get("error").asText()).startsWith("malformed form body");
    }

    @Test
    void singleVipByInterfaceAndVhid() throws IOException {
        var r = unix.get("/api/v1/vips/wan/1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("advskew").asInt()).isEqualTo(100);
        var missing = unix.get("/api/v1/vips/wan/9");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no vhid 9 on wan");
        assertThat(unix.get("/api/v1/vips/wan/x").status()).isEqualTo(404);
    }

    @Test
    void reloadReportsAppliedChangesOrRefusal() throws IOException {
        var ok = unix.post("/api/v1/reload", "");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(json(ok).get("changes").get(0).asText()).isEqualTo("added vhid 3 on dmz");
        plane.nextReload = ReloadResult.refused(List.of("carpd.yaml:12:5: vhids[1].vhid: 300 is out of range 1..255", "second"));
        var bad = unix.post("/api/v1/reload", "");
        assertThat(bad.status()).isEqualTo(422);
        JsonNode b = json(bad);
        assertThat(b.get("error").asText()).isEqualTo("reload refused: carpd.yaml:12:5: vhids[1].vhid: 300 is out of range 1..255 (and 1 more)");
        assertThat(b.get("errors")).hasSize(2);
    }

    @Test
    void eventsReturnsTheNewestN() throws IOException {
        JsonNode ev = json(unix.get("/api/v1/events?n=2"));
        assertThat(ev).extracting(e -> e.get("message").asText()).containsExactly("event 4", "event 5");
        assertThat(ev.get(0).get("seq").asLong()).isEqualTo(4);
        var bad = unix.get("/api/v1/events?n=abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("'n'");
    }

    @Test
    void followStreamsBacklogThenLiveEventsAndUnsubscribesOnHangUp() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofPlatform().start(() -> {
            try {
                unix.stream("/api/v1/events?n=1&follow=1", lines::add);
            } catch (IOException e) {
                // interrupted: the channel is closed, which is how a follower hangs up
            }
        });
        awaitTrue(() -> plane.subscribers.size() == 1 && lines.size() == 1);
        plane.record("maintenance", null, 0, "maintenance on");
        awaitTrue(() -> lines.size() == 2);
        assertThat(JSON.readTree(lines.get(0)).get("message").asText()).isEqualTo("event 5");
        assertThat(JSON.readTree(lines.get(1)).get("kind").asText()).isEqualTo("maintenance");
        follower.interrupt();
        follower.join(5000);
        awaitTrue(() -> plane.subscribers.isEmpty());
    }

    @Test
    void nonRootPeerIsRefusedEvenWhenTheFileModeAllowsIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a peer as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/socat")),
                "needs setpriv and socat (installed by .ci/run)");
        Path sock = server.socketPath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(sock.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/socat", "-t5", "-", "UNIX-CONNECT:" + sock)
                .redirectErrorStream(true).start();
        p.getOutputStream().write("GET /api/v1/status HTTP/1.1\r\nHost: carpd\r\nConnection: close\r\n\r\n".getBytes());
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(out).startsWith("HTTP/1.1 403 Forbidden");
        assertThat(out).contains("{\"error\":\"uid 65534 is not root\"}");
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void memberOfSocketGroupIsAllowed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a peer as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/socat")),
                "needs setpriv and socat (installed by .ci/run)");
        server.close();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = dir.resolve("group.sock");
        String group = groupName(65534);
        assumeTrue(group != null, "no group with gid 65534");
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), new ControlServerSettings(sock, group, null, null));
        for (String[] ids : new String[][] {{"--regid=65534", "--clear-groups"}, {"--regid=65533", "--groups=65534"}}) {
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", ids[0], ids[1],
                    "/usr/bin/socat", "-t5", "-", "UNIX-CONNECT:" + sock).redirectErrorStream(true).start();
            p.getOutputStream().write("POST /api/v1/disable HTTP/1.1\r\nHost: carpd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
            p.getOutputStream().close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes())).as("peer %s", String.join(" ", ids)).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(plane.disabled).isTrue();
    }

    static String groupName(int gid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String[] f = line.split(":");
            if (f.length > 2 && f[2].equals(Integer.toString(gid))) return f[0];
        }
        return null;
    }

    @Test
    void tokenFileMustBePrivateAndNonEmpty() throws IOException {
        Path f = Files.writeString(dir.resolve("api.token"), "  abc123\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(ControlServerSettings.readTokenFile(f)).isEqualTo("abc123");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ControlServerSettings.readTokenFile(f))
                .hasMessageContaining("readable by every user");
        Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ControlServerSettings.readTokenFile(empty))
                .hasMessageContaining("file is empty");
    }

    @Test
    void tooManyConcurrentCallsAre503AndTheRestComplete() throws Exception {
        plane.gate = new CountDownLatch(1);
        List<Thread> blocked = new ArrayList<>();
        List<Integer> codes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < ControlServer.MAX_CONCURRENT_CALLS; i++) {
            blocked.add(Thread.ofPlatform().start(() -> {
                try {
                    codes.add(unix.get("/api/v1/status").status());
                } catch (IOException e) {
                    codes.add(-1);
                }
            }));
        }
        awaitTrue(() -> plane.waiting.get() == ControlServer.MAX_CONCURRENT_CALLS);
        var refused = unix.get("/api/v1/status");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(json(refused).get("error").asText()).contains("retry");
        plane.gate.countDown();
        plane.gate = null;
        for (Thread t : blocked) t.join(10_000);
        assertThat(codes).hasSize(ControlServer.MAX_CONCURRENT_CALLS).containsOnly(200);
        assertThat(unix.get("/api/v1/status").status()).isEqualTo(200);
    }

    static void awaitTrue(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(10);
        }
    }
}
