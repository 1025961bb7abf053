package io.carpd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.cli.Main;
import io.carpd.core.api.ApiExtensions;
import io.carpd.core.api.ConfigSyncControl;
import io.carpd.core.api.ControlException;
import io.carpd.core.api.ControlServer;
import io.carpd.core.api.ControlServerSettings;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code carpd sync config} and {@code /api/v1/config-sync} against a stub config sync. */
class ConfigSyncCommandTest {
    @TempDir
    Path dir;

    private ControlServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private final class StubSync implements ConfigSyncControl {
        volatile Outcome next = new Outcome(true, "push", "fw2", "applied",
                List.of(new Section("nftables", "applied", "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "", "")));
        volatile boolean master = true;

        @Override
        public Outcome push(boolean dryRun, boolean force) {
            calls.add("push dry_run=" + dryRun + " force=" + force);
            if (!master && !force) throw new ControlException(ControlException.Kind.CONFLICT, "refusing to push config from fw1: not MASTER");
            return next;
        }

        @Override
        public Outcome rollback() {
            calls.add("rollback");
            return new Outcome(true, "rollback", "fw1", "restored", List.of(new Section("nftables", "restored", "b", "a", "", "")));
        }

        @Override
        public Status status() {
            return new Status("fw1", "1.0", 1, true, new Peer("fw2", "1.0", 1, null),
                    new Last(Instant.parse("2026-11-25T21:00:00Z"), "push", "fw2", true, "applied"), null, null,
                    List.of(new SectionHashes("nftables", true, "abcdef0123456789", "abcdef0123456789"),
                            new SectionHashes("notes", false, "1111111111111111", null)), 2,
                    new Counters(3, 1, 0, 0, 0, 0, 0));
        }

        @Override
        public void reloaded() {
            calls.add("reloaded");
        }
    }

    private Path start(ConfigSyncControl sync) throws IOException {
        Path socket = dir.resolve("carpd.sock");
        ControlVerbsTest.StubPlane plane = new ControlVerbsTest.StubPlane();
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(socket), new ApiExtensions(null, sync));
        return socket;
    }

    record Run(int code, String out, String err) {}

    private Run carpd(Path socket, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--socket", socket.toString()))
                .toArray(String[]::new);
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @Test
    void pushPrintsEachSectionAndPassesTheFlags() throws IOException {
        Path s = start(new StubSync());
        Run r = carpd(s, "sync", "config", "--force");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("config push to fw2: applied\n  nftables: applied (aaaaaaaaaaaa -> bbbbbbbbbbbb)\n");
        assertThat(calls).containsExactly("push dry_run=false force=true");
    }

    @Test
    void failedPushExitsOneWithTheDetailsOnStderr() throws IOException {
        StubSync sync = new StubSync();
        sync.next = new ConfigSyncControl.Outcome(false, "push", "fw2", "validation failed for nftables; nothing was applied",
                List.of(new ConfigSyncControl.Section("nftables", "invalid", "a", "a", "", "`nft -c -f x` exited with 1")));
        Path s = start(sync);
        Run r = carpd(s, "sync", "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("config push to fw2: FAILED: validation failed for nftables")
                .contains("nftables: invalid: `nft -c -f x` exited with 1");
    }

    @Test
    void refusalFromTheDaemonIsOneLine() throws IOException {
        StubSync sync = new StubSync();
        sync.master = false;
        Run r = carpd(start(sync), "sync", "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("carpd sync config: refusing to push config from fw1: not MASTER\n");
    }

    @Test
    void dryRunPrintsTheDiff() throws IOException {
        StubSync sync = new StubSync();
        sync.next = new ConfigSyncControl.Outcome(true, "dry_run", "fw2", "dry run: 1 of 1 sections differ; nothing was changed",
                List.of(new ConfigSyncControl.Section("nftables", "changed", "a", "b", "--- fw2:/etc/n\n+++ fw1:nftables\n@@ -1 +1 @@\n-x\n+y\n", "")));
        Run r = carpd(start(sync), "sync", "config", "--dry-run");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("    --- fw2:/etc/n\n    +++ fw1:nftables\n    @@ -1 +1 @@\n    -x\n    +y\n");
        assertThat(calls).containsExactly("push dry_run=true force=false");
    }

    @Test
    void rollbackAndStatus() throws IOException {
        Path s = start(new StubSync());
        assertThat(carpd(s, "sync", "config", "--rollback").out()).startsWith("config rollback on fw1: restored");
        assertThat(calls).containsExactly("rollback");
        Run st = carpd(s, "sync", "config", "--status");
        assertThat(st.out()).contains("config sync on fw1 (carpd 1.0, config schema 1): link up")
                .contains("peer fw2 (carpd 1.0, config schema 1)")
                .contains("counters: pushes ok 3, failed 1; received ok 0, refused 0, failed 0, abandoned 0; malformed messages 0")
                .contains("last sent: 2026-11-25T21:00:00Z push fw2: ok: applied")
                .contains("nftables         yes    abcdef012345   abcdef012345   in sync")
                .contains("notes            no     111111111111   -              local only");
        assertThat(carpd(s, "sync", "config", "--rollback", "--dry-run").code()).isEqualTo(2);
        assertThat(carpd(s, "status").out())
                .contains("config sync: link up; last sent: 2026-11-25T21:00:00Z push fw2: ok: applied; last received: none\n")
                .contains("    nftables here abcdef012345 peer abcdef012345\n")
                .contains("    notes (local only) here 111111111111 peer -\n");
    }

    @Test
    void withoutConfigSyncTheEndpointSaysSoAndStatusOmitsIt() throws IOException {
        Path s = start(null);
        Run r = carpd(s, "sync", "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("config sync is not configured (no config_sync section)");
        assertThat(carpd(s, "status").out()).doesNotContain("config sync");
    }
}
