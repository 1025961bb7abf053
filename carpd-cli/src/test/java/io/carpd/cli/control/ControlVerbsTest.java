package io.carpd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.cli.Main;
import io.carpd.core.api.ControlException;
import io.carpd.core.api.ControlPlane;
import io.carpd.core.api.ControlServer;
import io.carpd.core.api.ControlServerSettings;
import io.carpd.core.api.Counters;
import io.carpd.core.api.NodeEventRecord;
import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.ReloadResult;
import io.carpd.core.api.Transition;
import io.carpd.core.api.VipStatus;
import io.carpd.core.election.CarpState;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator verbs against a real control server (Unix socket in a temp dir) over a stub daemon. */
class ControlVerbsTest {

    static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

    @TempDir
    Path dir;

    final StubPlane plane = new StubPlane();
    ControlServer server;
    Path socket;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("carpd.sock");
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(socket));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Run carpd(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Run verb(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, 1);
        all[1] = "--socket";
        all[2] = socket.toString();
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return carpd(all);
    }

    @Test
    void statusPrintsOneLinePerVhidThenDemotionAndFlags() {
        plane.demotion.get("carp").put("link:wan", 240);
        Run r = verb("status");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "lan vhid 2 MASTER advbase 1 advskew 0 (advertising 240) 192.0.2.254/24 2001:db8::254/64",
                "    last BACKUP -> MASTER at 2026-11-25T20:00:00Z (no advertisement for 3.39 s)",
                "wan vhid 1 BACKUP advbase 1 advskew 100 (advertising 255) 203.0.113.4/28",
                "demotion 240 (carp: link:wan 240)",
                "node fw1: maintenance off, enabled");
    }

    @Test
    void statusJsonIsTheDaemonSnapshot() throws IOException {
        Run r = verb("status", "--json");
        assertThat(r.code()).isZero();
        var json = ControlVerb.JSON.readTree(r.out());
        assertThat(json.path("node").asText()).isEqualTo("fw1");
        assertThat(json.path("vips")).hasSize(2);
    }

    @Test
    void socketPathComesFromTheConfigFile() throws IOException {
        Path cfg = Files.writeString(dir.resolve("carpd.yaml"), "node: fw1\napi:\n  socket: " + socket + "\n");
        assertThat(carpd("status", "-c", cfg.toString()).code()).isZero();
        Path viaRuntimeDir = Files.writeString(dir.resolve("rt.yaml"), "node: fw1\nruntime_dir: " + dir + "\n");
        assertThat(carpd("status", "-c", viaRuntimeDir.toString()).code()).isZero();
    }

    @Test
    void maintenanceOnAndOff() {
        Run on = verb("maintenance", "on");
        assertThat(on.code()).isZero();
        assertThat(on.out().strip()).isEqualTo("maintenance on");
        assertThat(plane.maintenance).isTrue();
        assertThat(verb("maintenance", "off").code()).isZero();
        assertThat(plane.maintenance).isFalse();
    }

    @Test
    void demoteSetsAndResets() {
        assertThat(verb("demote", "50").code()).isZero();
        assertThat(plane.demotion.get("carp")).containsEntry("operator", 50);
        assertThat(verb("demote", "20", "--group", "uplink").code()).isZero();
        assertThat(plane.demotion.get("uplink")).containsEntry("operator", 20);
        Run reset = verb("demote", "--reset");
        assertThat(reset.code()).isZero();
        assertThat(reset.out().strip()).isEqualTo("demotion of carp cleared");
        assertThat(plane.demotion.get("carp")).doesNotContainKey("operator");
    }

    @Test
    void refusedCommandExitsOneWithTheDaemonsReason() {
        Run r = verb("demote", "10", "--group", "nosuch");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("carpd demote: no VHID is in group nosuch");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void disableEnableReload() {
        assertThat(verb("disable").code()).isZero();
        assertThat(plane.disabled).isTrue();
        assertThat(verb("enable").code()).isZero();
        assertThat(plane.disabled).isFalse();
        Run ok = verb("reload");
        assertThat(ok.code()).isZero();
        assertThat(ok.out().strip()).isEqualTo("reloaded: added vhid 3 on dmz");
        plane.nextReload = ReloadResult.refused(List.of("carpd.yaml:3:1: node: missing"));
        Run bad = verb("reload");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("carpd reload: reload refused: carpd.yaml:3:1: node: missing");
    }

    @Test
    void eventsPrintsTheNewestN() throws IOException {
        Run r = verb("events", "-n", "2");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "2026-11-25T20:00:02Z transition: event 2", "2026-11-25T20:00:03Z transition: event 3");
        Run json = verb("events", "-n", "1", "--json");
        assertThat(ControlVerb.JSON.readTree(json.out().strip()).path("seq").asLong()).isEqualTo(3);
    }

    @Test
    void eventsFollowPrintsLiveEventsUntilTheDaemonGoesAway() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int[] code = {-1};
        Thread t = Thread.ofPlatform().start(() -> code[0] = cl.execute("events", "--socket", socket.toString(), "-n", "1", "--follow"));
        await(() -> out.toString().lines().count() == 1 && plane.followers.size() == 1);
        plane.followers.forEach(f -> f.accept(new NodeEventRecord(4, T0.plusSeconds(4), "maintenance", null, 0, "maintenance on")));
        await(() -> out.toString().lines().count() == 2);
        assertThat(out.toString().lines().toList()).containsExactly(
                "2026-11-25T20:00:03Z transition: event 3", "2026-11-25T20:00:04Z maintenance: maintenance on");
        server.close();
        t.join(10_000);
        assertThat(code[0]).isEqualTo(1);
        assertThat(err.toString()).startsWith("carpd events: connection closed");
    }

    static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(10);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(carpd("frobnicate").code()).isEqualTo(2);
        assertThat(verb("maintenance", "maybe").code()).isEqualTo(2);
        assertThat(verb("demote").code()).isEqualTo(2);
        assertThat(verb("demote", "300").code()).isEqualTo(2);
        assertThat(verb("demote", "5", "--reset").code()).isEqualTo(2);
        assertThat(plane.commands).isEmpty();
    }

    @Test
    void noDaemonIsAOneLineFailure() {
        Run r = carpd("status", "--socket", dir.resolve("absent.sock").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("carpd status: cannot connect to " + dir.resolve("absent.sock"));
    }

    @Test
    void completionScriptAndManPagesAreGenerated() throws IOException {
        Run completion = carpd("generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("maintenance").contains("demote");
        Path man = dir.resolve("man");
        Run gen = carpd("gen-manpage", "--outdir", man.toString());
        assertThat(gen.code()).isZero();
        assertThat(man.resolve("carpd.adoc")).exists();
        assertThat(Files.readString(man.resolve("carpd-demote.adoc"))).contains("--reset");
    }

    /** A daemon stand-in: two VHIDs (lan/2 dual-stack MASTER, wan/1 BACKUP), records commands. */
    static final class StubPlane implements ControlPlane {
        final Map<String, Map<String, Integer>> demotion = new LinkedHashMap<>(Map.of(
                "carp", new LinkedHashMap<>(), "uplink", new LinkedHashMap<>()));
        final List<String> commands = new CopyOnWriteArrayList<>();
        volatile boolean maintenance;
        volatile boolean disabled;
        volatile ReloadResult nextReload = ReloadResult.applied(List.of("added vhid 3 on dmz"), List.of());
        final List<NodeEventRecord> journal = new ArrayList<>();

        StubPlane() {
            for (int i = 1; i <= 3; i++) journal.add(new NodeEventRecord(i, T0.plusSeconds(i), "transition", "lan", 2, "event " + i));
        }

        @Override
        public synchronized NodeStatus status() {
            int carp = Math.min(255, demotion.get("carp").values().stream().mapToInt(Integer::intValue).sum());
            var t = new Transition("lan", 2, CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s", T0);
            return new NodeStatus("fw1", List.of(
                    new VipStatus("lan", 2, CarpState.MASTER, 1, 0, carp, carp,
                            List.of("192.0.2.254/24", "2001:db8::254/64"), Set.of("carp"), t),
                    new VipStatus("wan", 1, CarpState.BACKUP, 1, 100, Math.min(255, 100 + carp), carp,
                            List.of("203.0.113.4/28"), Set.of("carp"), null)),
                    demotion, carp, maintenance, disabled, t, Counters.empty());
        }

        @Override
        public synchronized void setMaintenance(boolean enabled) {
            commands.add("maintenance " + enabled);
            maintenance = enabled;
        }

        @Override
        public synchronized void setDemotion(String group, int value) {
            Map<String, Integer> g = demotion.get(group);
            if (g == null) throw new ControlException(ControlException.Kind.NOT_FOUND, "no VHID is in group " + group);
            commands.add("demote " + group + " " + value);
            if (value == 0) g.remove("operator");
            else g.put("operator", value);
        }

        @Override
        public void setDisabled(boolean disabled) {
            commands.add("disabled " + disabled);
            this.disabled = disabled;
        }

        @Override
        public ReloadResult reload() {
            commands.add("reload");
            return nextReload;
        }

        @Override
        public synchronized List<NodeEventRecord> events(int n) {
            return List.copyOf(journal.subList(Math.max(0, journal.size() - n), journal.size()));
        }

        final List<Consumer<NodeEventRecord>> followers = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(Consumer<NodeEventRecord> listener) {
            followers.add(listener);
            return () -> followers.remove(listener);
        }
    }
}
