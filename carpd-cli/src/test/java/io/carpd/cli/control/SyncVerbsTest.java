package io.carpd.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.cli.Main;
import io.carpd.core.api.ApiExtensions;
import io.carpd.core.api.ConfigSyncControl;
import io.carpd.core.api.ControlException;
import io.carpd.core.api.ControlServer;
import io.carpd.core.api.ControlServerSettings;
import io.carpd.core.api.SyncControl;
import io.carpd.core.api.SyncStatus;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code carpd sync status|resync} and the sync lines of {@code carpd status}, against a real control server. */
class SyncVerbsTest {

    @TempDir
    Path dir;

    private ControlServer server;
    private Path socket;
    private boolean linkDown;
    private int resyncs;
    private ConfigSyncControl configSync; // none unless a test sets one

    private final SyncControl sync = new SyncControl() {
        @Override
        public SyncStatus status() {
            return new SyncStatus("sync", "198.51.100.1", "198.51.100.2", 8372, linkDown ? "DISCONNECTED" : "IN_SYNC",
                    -969710590, linkDown ? 0 : 1, !linkDown, 12, 7, 1, 2, 0.125, 0.0004,
                    new SyncStatus.Bulk(Instant.parse("2026-11-25T21:00:00Z"), 0.25, 7), null,
                    new SyncStatus.Traffic(120, 34567), new SyncStatus.Traffic(118, 30000),
                    Map.of("bad_mac", linkDown ? 3L : 0L, "replayed", 0L), Map.of("connections", 1L, "resyncs", (long) resyncs));
        }

        @Override
        public void resync() {
            if (linkDown) throw new ControlException(ControlException.Kind.CONFLICT, "the sync link to 198.51.100.2 is down");
            resyncs++;
        }
    };

    record Run(int code, String out, String err) {}

    private Run carpd(String... args) throws IOException {
        if (server == null) {
            socket = dir.resolve("carpd.sock");
            ControlVerbsTest.StubPlane plane = new ControlVerbsTest.StubPlane();
            server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(socket), new ApiExtensions(sync, configSync));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--socket";
        all[args.length + 1] = socket.toString();
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void syncStatusShowsPeerStatesLagBulksAndCounters() throws IOException {
        Run r = carpd("sync", "status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sync IN_SYNC with 198.51.100.2 port 8372 on sync (node 3325256706, protocol 1)")
                .contains("states local 12, peer 7; queued 1, unacked frames 2, lag 0.125 s, rtt 0.4 ms")
                .contains("last bulk received 7 states in 0.250 s at 2026-11-25T21:00:00Z; sent never")
                .contains("frames sent 120 (34567 bytes), received 118 (30000 bytes)")
                .contains("dropped frames: none")
                .contains("counters: connections 1, resyncs 0");
    }

    @Test
    void syncStatusEndsWithTheConfigSyncSummaryWhenConfigured() throws IOException {
        assertThat(carpd("sync", "status").out()).doesNotContain("config sync");
        server.close();
        server = null;
        configSync = new ConfigSyncControl() {
            @Override
            public Outcome push(boolean dryRun, boolean force) {
                throw new UnsupportedOperationException("not used by sync status");
            }

            @Override
            public Outcome rollback() {
                throw new UnsupportedOperationException("not used by sync status");
            }

            @Override
            public Status status() {
                return new Status("fw1", "1.0", 1, true, null, null,
                        new Last(Instant.parse("2026-11-25T21:05:00Z"), "push", "fw2", true, "applied"), null,
                        List.of(new SectionHashes("nftables", true, "abcdef0123456789", null)), 2,
                        new Counters(0, 0, 1, 0, 0, 0, 0));
            }

            @Override
            public void reloaded() {
            }
        };
        Run r = carpd("sync", "status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sync IN_SYNC with 198.51.100.2")
                .contains("config sync: link up; last sent: none; last received: 2026-11-25T21:05:00Z push fw2: ok: applied\n")
                .contains("    nftables here abcdef012345 peer -\n");
    }

    @Test
    void syncStatusJsonIsTheDaemonsSnapshot() throws IOException {
        Run r = carpd("sync", "status", "--json");
        assertThat(r.code()).isZero();
        assertThat(ControlVerb.JSON.readTree(r.out()).path("peer_states").asInt()).isEqualTo(7);
    }

    @Test
    void droppedFramesAreListedByReasonWhenTheLinkIsDown() throws IOException {
        linkDown = true;
        Run r = carpd("sync", "status");
        assertThat(r.out()).contains("sync DISCONNECTED with 198.51.100.2").contains("start-up sync not complete (demoted)")
                .contains("dropped frames: bad_mac 3");
    }

    @Test
    void resyncSucceedsWhileConnectedAndFailsWithTheReasonWhileDown() throws IOException {
        Run ok = carpd("sync", "resync");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("resync requested");
        assertThat(resyncs).isEqualTo(1);

        linkDown = true;
        Run refused = carpd("sync", "resync");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("carpd sync resync: the sync link to 198.51.100.2 is down");
    }

    @Test
    void nodeStatusEndsWithTheSyncSummary() throws IOException {
        Run r = carpd("status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sync IN_SYNC with 198.51.100.2");
    }
}
