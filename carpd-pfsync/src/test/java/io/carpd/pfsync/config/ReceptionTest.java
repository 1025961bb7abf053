package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.pfsync.config.ConfigMessage.Begin;
import io.carpd.pfsync.config.ConfigMessage.Chunk;
import io.carpd.pfsync.config.ConfigMessage.End;
import io.carpd.pfsync.config.ConfigMessage.Manifest;
import io.carpd.pfsync.config.ConfigMessage.Mode;
import io.carpd.pfsync.config.ConfigMessage.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceptionTest {
    private static final NodeIdentity FW2 = new NodeIdentity("fw2", "1.0.0", 1);

    @TempDir
    Path dir;

    private final Map<String, LocalSection> local = new LinkedHashMap<>();
    private ConfigHistory history;

    @BeforeEach
    void sections() throws IOException {
        Step rejectsWordBad = file -> {
            try {
                return Files.readString(file).contains("bad") ? Step.Outcome.failure("bad word") : Step.Outcome.success();
            } catch (IOException e) {
                return Step.Outcome.failure(e.toString());
            }
        };
        local.put("nft", new LocalSection("nft", dir.resolve("nftables.conf"), true, true, rejectsWordBad, Step.NONE));
        local.put("secret", new LocalSection("secret", dir.resolve("secret"), false, false, Step.NONE, Step.NONE));
        Files.writeString(dir.resolve("nftables.conf"), "old\n");
        history = new ConfigHistory(dir.resolve("history"), 3);
    }

    private static Begin offer(long tx, Mode mode, String version, String name, byte[] content) {
        return new Begin(tx, mode, "fw1", version, 1, false, List.of(new Manifest(name, content.length, ContentHash.of(content))));
    }

    private Reception accept(Begin b) {
        Reception.Start s = Reception.begin(b, FW2, local, List.of());
        assertThat(s).isInstanceOf(Reception.Start.Accept.class);
        return ((Reception.Start.Accept) s).reception();
    }

    private String refusal(Begin b) {
        Reception.Start s = Reception.begin(b, FW2, local, List.of());
        assertThat(s).isInstanceOf(Reception.Start.Refuse.class);
        return ((Reception.Start.Refuse) s).result().message();
    }

    private List<Path> staging() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".carpd-")).toList();
        }
    }

    /** Sends content in chunks of 3 bytes. */
    private static void feed(Reception r, long tx, byte[] content) {
        for (int off = 0; off < content.length; off += 3) {
            assertThat(r.chunk(new Chunk(tx, 0, off, Arrays.copyOfRange(content, off, Math.min(content.length, off + 3))))).isNull();
        }
    }

    @Test
    void versionMismatchIsRefusedNamingBothNodesAndVersions() {
        assertThat(refusal(offer(1, Mode.PUSH, "2.0.0", "nft", "x".getBytes())))
                .isEqualTo("refused: version mismatch: fw1 runs carpd 2.0.0 (config schema 1), fw2 runs carpd 1.0.0 "
                        + "(config schema 1); run the same carpd version on both nodes before syncing config");
    }

    @Test
    void schemaMismatchIsRefusedToo() {
        Begin b = new Begin(1, Mode.PUSH, "fw1", "1.0.0", 2, false, List.of());
        assertThat(refusal(b)).contains("fw1 runs carpd 1.0.0 (config schema 2), fw2 runs carpd 1.0.0 (config schema 1)");
    }

    @Test
    void pushIntoANodeThatIsMasterItselfIsRefusedUnlessForced() {
        byte[] c = "x".getBytes();
        Reception.Start s = Reception.begin(offer(1, Mode.PUSH, "1.0.0", "nft", c), FW2, local, List.of("vhid 1 on wan"));
        assertThat(s).isInstanceOfSatisfying(Reception.Start.Refuse.class, r -> assertThat(r.result().message())
                .startsWith("refused: fw2 is MASTER too (vhid 1 on wan); a push now could overwrite"));
        Begin forced = new Begin(2, Mode.PUSH, "fw1", "1.0.0", 1, true, List.of(new Manifest("nft", 1, ContentHash.of(c))));
        Reception.Start f = Reception.begin(forced, FW2, local, List.of("vhid 1 on wan"));
        assertThat(f).isInstanceOf(Reception.Start.Accept.class);
        ((Reception.Start.Accept) f).reception().abort();
        Reception.Start dry = Reception.begin(offer(3, Mode.DRY_RUN, "1.0.0", "nft", c), FW2, local, List.of("vhid 1 on wan"));
        assertThat(dry).as("a dry run changes nothing, so it is allowed").isInstanceOf(Reception.Start.Accept.class);
        ((Reception.Start.Accept) dry).reception().abort();
    }

    @Test
    void unknownAndNoSyncSectionsAreRefused() {
        assertThat(refusal(offer(1, Mode.PUSH, "1.0.0", "dhcp", "x".getBytes()))).contains("section 'dhcp' is not configured on fw2");
        assertThat(refusal(offer(1, Mode.PUSH, "1.0.0", "secret", "x".getBytes()))).contains("section 'secret' is marked sync: false on fw2");
    }

    @Test
    void completeTransferIsVerifiedAndApplied() throws IOException {
        byte[] content = "new rules\n".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(5, Mode.PUSH, "1.0.0", "nft", content));
        feed(r, 5, content);
        assertThat(Files.readString(dir.resolve("nftables.conf"))).as("nothing changes before End").isEqualTo("old\n");

        Result res = r.end(FW2, history, Instant.EPOCH);

        assertThat(res.ok()).as(res.message()).isTrue();
        assertThat(res.sections().getFirst().status()).isEqualTo("applied");
        assertThat(res.sections().getFirst().diff()).contains("-old").contains("+new rules");
        assertThat(Files.readString(dir.resolve("nftables.conf"))).isEqualTo("new rules\n");
        assertThat(new String(history.newest().previous().get("nft"))).isEqualTo("old\n");
        assertThat(staging()).isEmpty();
    }

    @Test
    void abortedTransferLeavesTheOldFileAndNoStagingFile() throws IOException {
        byte[] content = "new rules that never fully arrive\n".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(6, Mode.PUSH, "1.0.0", "nft", content));
        feed(r, 6, Arrays.copyOf(content, 9));
        assertThat(staging()).hasSize(1);

        r.abort();

        assertThat(Files.readString(dir.resolve("nftables.conf"))).isEqualTo("old\n");
        assertThat(staging()).isEmpty();
        assertThat(history.entries()).isEmpty();
    }

    @Test
    void endBeforeAllBytesArrivedAppliesNothing() throws IOException {
        byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(7, Mode.PUSH, "1.0.0", "nft", content));
        feed(r, 7, Arrays.copyOf(content, 6));

        Result res = r.end(FW2, history, Instant.EPOCH);

        assertThat(res.ok()).isFalse();
        assertThat(res.message()).contains("incomplete transfer, nothing applied").contains("nft: 6 of 10 bytes");
        assertThat(Files.readString(dir.resolve("nftables.conf"))).isEqualTo("old\n");
        assertThat(staging()).isEmpty();
    }

    @Test
    void outOfOrderChunkIsAnError() {
        byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(8, Mode.PUSH, "1.0.0", "nft", content));
        assertThat(r.chunk(new Chunk(8, 0, 3, "345".getBytes()))).contains("expected 0 of 10");
        r.abort();
    }

    @Test
    void dryRunReportsDiffAndValidationAndChangesNothing() throws IOException {
        byte[] content = "bad rules\n".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(9, Mode.DRY_RUN, "1.0.0", "nft", content));
        feed(r, 9, content);

        Result res = r.end(FW2, history, Instant.EPOCH);

        assertThat(res.ok()).isFalse();
        assertThat(res.message()).contains("dry run: 1 of 1 sections differ").contains("validation fails for nft").contains("nothing was changed");
        assertThat(res.sections().getFirst().diff()).startsWith("--- fw2:" + dir.resolve("nftables.conf") + "\n+++ fw1:nft\n")
                .contains("-old\n+bad rules\n");
        assertThat(Files.readString(dir.resolve("nftables.conf"))).isEqualTo("old\n");
        assertThat(history.entries()).isEmpty();
        assertThat(staging()).isEmpty();
    }

    @Test
    void identicalContentIsReportedUnchangedWithoutApplying() throws IOException {
        byte[] content = "old\n".getBytes(StandardCharsets.UTF_8);
        Reception r = accept(offer(10, Mode.PUSH, "1.0.0", "nft", content));
        feed(r, 10, content);
        Result res = r.end(FW2, history, Instant.EPOCH);
        assertThat(res.ok()).isTrue();
        assertThat(res.sections().getFirst().status()).isEqualTo("unchanged");
        assertThat(history.entries()).isEmpty();
    }
}
