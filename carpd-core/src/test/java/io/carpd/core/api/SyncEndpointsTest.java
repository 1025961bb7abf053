package io.carpd.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-sync paths of the control API, served from a {@link SyncControl} (or absent without one). */
class SyncEndpointsTest {

    @TempDir
    java.nio.file.Path dir;

    private ControlServer server;

    /** Answers a fixed snapshot; refuses resyncs while {@code linkDown}. */
    private static final class FakeSync implements SyncControl {
        final AtomicInteger resyncs = new AtomicInteger();
        volatile boolean linkDown;

        @Override
        public SyncStatus status() {
            return new SyncStatus("sync", "198.51.100.1", "198.51.100.2", 8372, linkDown ? "DISCONNECTED" : "IN_SYNC",
                    7, linkDown ? 0 : 1, true, 3, 5, 0, 1, 0.25, 0.0004,
                    new SyncStatus.Bulk(Instant.parse("2026-11-25T21:00:00Z"), 0.5, 5), null,
                    new SyncStatus.Traffic(10, 2000), new SyncStatus.Traffic(12, 2400),
                    Map.of("bad_mac", 4L, "truncated", 0L), Map.of("resyncs", (long) resyncs.get()));
        }

        @Override
        public void resync() {
            if (linkDown) throw new ControlException(ControlException.Kind.CONFLICT, "the sync link is down");
            resyncs.incrementAndGet();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private ControlClient start(SyncControl sync) throws IOException {
        FakeControlPlane plane = new FakeControlPlane();
        server = ControlServer.start(plane, new CarpdMetrics(plane, "test"),
                new ControlServerSettings(dir.resolve("carpd.sock"), null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        "tok"), new ApiExtensions(sync, null));
        return new ControlClient(server.socketPath());
    }

    @Test
    void syncSnapshotIsServedInSnakeCase() throws IOException {
        ControlClient c = start(new FakeSync());
        var r = c.get("/api/v1/sync");
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = ControlServerTest.json(r);
        assertThat(s.get("link").asText()).isEqualTo("IN_SYNC");
        assertThat(s.get("protocol_version").asInt()).isEqualTo(1);
        assertThat(s.get("local_states").asInt()).isEqualTo(3);
        assertThat(s.get("peer_states").asInt()).isEqualTo(5);
        assertThat(s.get("lag_seconds").asDouble()).isEqualTo(0.25);
        assertThat(s.get("last_bulk_received").get("ended_at").asText()).isEqualTo("2026-11-25T21:00:00Z");
        assertThat(s.get("last_bulk_sent").isNull()).isTrue();
        assertThat(s.get("received").get("bytes").asLong()).isEqualTo(2400);
        assertThat(s.get("drops").get("bad_mac").asLong()).isEqualTo(4);
    }

    @Test
    void nodeStatusCarriesTheSyncSnapshot() throws IOException {
        JsonNode s = ControlServerTest.json(start(new FakeSync()).get("/api/v1/status"));
        assertThat(s.get("node").asText()).isEqualTo("fw1");
        assertThat(s.get("sync").get("peer").asText()).isEqualTo("198.51.100.2");
    }

    @Test
    void resyncIsACommandAndRefusedWhileTheLinkIsDown() throws IOException {
        FakeSync sync = new FakeSync();
        ControlClient c = start(sync);
        var ok = c.post("/api/v1/sync/resync", "");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(sync.resyncs.get()).isEqualTo(1);
        assertThat(c.get("/api/v1/sync/resync").status()).as("GET is not a resync").isEqualTo(405);

        ControlClient anonymousTcp = new ControlClient(server.tcpAddress().orElseThrow(), null);
        assertThat(anonymousTcp.post("/api/v1/sync/resync", "").status()).as("needs the token over TCP").isEqualTo(401);
        assertThat(sync.resyncs.get()).isEqualTo(1);

        sync.linkDown = true;
        var refused = c.post("/api/v1/sync/resync", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(ControlServerTest.json(refused).get("error").asText()).contains("link is down");
    }

    @Test
    void withoutSyncThePathsAreNotFoundAndStatusHasNoSync() throws IOException {
        ControlClient c = start(null);
        var r = c.get("/api/v1/sync");
        assertThat(r.status()).isEqualTo(404);
        assertThat(ControlServerTest.json(r).get("error").asText()).contains("not configured");
        assertThat(c.post("/api/v1/sync/resync", "").status()).isEqualTo(404);
        assertThat(ControlServerTest.json(c.get("/api/v1/status")).has("sync")).isFalse();
    }
}
