package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionCommitTest {
    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();

    /** Records "name:step:content-of-file" so tests see what each step saw. */
    private Step recording(String name, String step, boolean ok) {
        return file -> {
            try {
                calls.add(name + ":" + step + ":" + Files.readString(file).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ok ? Step.Outcome.success() : Step.Outcome.failure(name + " " + step + " says no");
        };
    }

    private LocalSection section(String name, boolean validOk, boolean applyOk) {
        return new LocalSection(name, dir.resolve(name + ".conf"), true, true, recording(name, "validate", validOk),
                recording(name, "apply", applyOk));
    }

    private SectionCommit.Candidate stage(LocalSection s, String content) throws IOException {
        Path staged = DurableFiles.stagingPath(s.path(), "t1");
        Files.writeString(staged, content);
        return new SectionCommit.Candidate(s, staged, ContentHash.of(content.getBytes()));
    }

    private List<Path> staging() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".carpd-")).toList();
        }
    }

    @Test
    void everythingValidIsRenamedThenAppliedInOrderAndThePreviousVersionKept() throws IOException {
        LocalSection a = section("a", true, true);
        LocalSection b = section("b", true, true);
        Files.writeString(a.path(), "a-old");
        Files.writeString(b.path(), "b-old");
        ConfigHistory history = new ConfigHistory(dir.resolve("history"), 5);

        SectionCommit.Report r = SectionCommit.commit(List.of(stage(a, "a-new"), stage(b, "b-new")), history, "fw1", "t1", Instant.EPOCH);

        assertThat(r.ok()).isTrue();
        assertThat(r.sections()).extracting(ConfigMessage.SectionResult::status).containsExactly("applied", "applied");
        assertThat(Files.readString(a.path())).isEqualTo("a-new");
        assertThat(Files.readString(b.path())).isEqualTo("b-new");
        assertThat(calls).containsExactly("a:validate:a-new", "b:validate:b-new", "a:apply:a-new", "b:apply:b-new");
        ConfigHistory.Entry kept = history.newest();
        assertThat(kept.origin()).isEqualTo("fw1");
        assertThat(new String(kept.previous().get("a"))).isEqualTo("a-old");
        assertThat(new String(kept.previous().get("b"))).isEqualTo("b-old");
        assertThat(staging()).isEmpty();
    }

    @Test
    void oneInvalidSectionMeansNothingIsAppliedAnywhere() throws IOException {
        LocalSection a = section("a", true, true);
        LocalSection b = section("b", false, true);
        Files.writeString(a.path(), "a-old");
        Files.writeString(b.path(), "b-old");
        ConfigHistory history = new ConfigHistory(dir.resolve("history"), 5);

        SectionCommit.Report r = SectionCommit.commit(List.of(stage(a, "a-new"), stage(b, "b-bad")), history, "fw1", "t1", Instant.EPOCH);

        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("validation failed for b").contains("nothing was applied");
        assertThat(r.sections()).extracting(ConfigMessage.SectionResult::status).containsExactly("not_applied", "invalid");
        assertThat(r.sections().get(1).detail()).isEqualTo("b validate says no");
        assertThat(Files.readString(a.path())).isEqualTo("a-old");
        assertThat(Files.readString(b.path())).isEqualTo("b-old");
        assertThat(calls).noneMatch(c -> c.contains(":apply:"));
        assertThat(history.entries()).isEmpty();
        assertThat(staging()).isEmpty();
    }

    @Test
    void failedApplyRestoresEveryFileAndReRunsTheEarlierApplies() throws IOException {
        LocalSection a = section("a", true, true);
        LocalSection b = section("b", true, false);
        LocalSection c = section("c", true, true);
        Files.writeString(a.path(), "a-old");
        Files.writeString(b.path(), "b-old");
        Files.writeString(c.path(), "c-old");
        ConfigHistory history = new ConfigHistory(dir.resolve("history"), 5);

        SectionCommit.Report r = SectionCommit.commit(List.of(stage(a, "a-new"), stage(b, "b-new"), stage(c, "c-new")),
                history, "fw1", "t1", Instant.EPOCH);

        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("apply of b failed").contains("every file of this sync was restored").contains("a re-applied");
        assertThat(r.sections()).extracting(ConfigMessage.SectionResult::status).containsExactly("restored", "failed", "restored");
        assertThat(Files.readString(a.path())).isEqualTo("a-old");
        assertThat(Files.readString(b.path())).isEqualTo("b-old");
        assertThat(Files.readString(c.path())).isEqualTo("c-old");
        // a was applied with the new content, b failed, then a was applied again on its restored old content; c never ran
        assertThat(calls.stream().filter(x -> x.contains(":apply:")).toList())
                .containsExactly("a:apply:a-new", "b:apply:b-new", "a:apply:a-old");
        assertThat(history.entries()).as("a sync that was undone leaves no version to roll back to").isEmpty();
        assertThat(staging()).isEmpty();
    }

    @Test
    void aSectionThatDidNotExistIsRemovedAgainOnRestore() throws IOException {
        LocalSection a = section("a", true, false);
        SectionCommit.Report r = SectionCommit.commit(List.of(stage(a, "a-new")), null, "fw1", "t1", Instant.EPOCH);
        assertThat(r.ok()).isFalse();
        assertThat(Files.exists(a.path())).isFalse();
    }

    @Test
    void onlyTheNewestVersionsAreKept() throws IOException {
        LocalSection a = section("a", true, true);
        Files.writeString(a.path(), "v0");
        ConfigHistory history = new ConfigHistory(dir.resolve("history"), 2);
        for (int v = 1; v <= 4; v++) {
            assertThat(SectionCommit.commit(List.of(stage(a, "v" + v)), history, "fw1", "t1", Instant.EPOCH).ok()).isTrue();
        }
        assertThat(history.entries()).extracting(e -> new String(e.previous().get("a"))).containsExactly("v2", "v3");
    }
}
