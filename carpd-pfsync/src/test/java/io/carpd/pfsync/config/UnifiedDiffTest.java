package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hunks are compared with GNU {@code diff -u} on the same inputs (cases chosen to have one minimal diff). */
class UnifiedDiffTest {
    @TempDir
    Path dir;

    private static List<String> numbered(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "line " + i).toList();
    }

    private String hunksOfSystemDiff(List<String> a, List<String> b) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/diff")), "diff(1) not installed");
        Path fa = dir.resolve("a");
        Path fb = dir.resolve("b");
        Files.write(fa, a);
        Files.write(fb, b);
        Process p = new ProcessBuilder("/usr/bin/diff", "-u", fa.toString(), fb.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return withoutHeader(out);
    }

    private static String withoutHeader(String diff) {
        return diff.lines().skip(2).reduce("", (x, y) -> x + y + "\n");
    }

    private void assertLikeDiffU(List<String> a, List<String> b) throws Exception {
        String ours = UnifiedDiff.of("old", a, "new", b);
        assertThat(ours).startsWith("--- old\n+++ new\n");
        assertThat(withoutHeader(ours)).isEqualTo(hunksOfSystemDiff(a, b));
    }

    @Test
    void equalContentHasNoDiff() {
        byte[] c = "a\nb\n".getBytes(StandardCharsets.UTF_8);
        assertThat(UnifiedDiff.of("x", c, "y", c.clone())).isEmpty();
    }

    @Test
    void addedLineInTheMiddle() throws Exception {
        List<String> b = new ArrayList<>(numbered(20));
        b.add(10, "    tcp dport 4444 accept");
        assertLikeDiffU(numbered(20), b);
    }

    @Test
    void changedFirstAndDeletedLastLinesMakeTwoHunks() throws Exception {
        List<String> b = new ArrayList<>(numbered(30));
        b.set(0, "changed");
        b.removeLast();
        assertLikeDiffU(numbered(30), b);
    }

    @Test
    void nearbyChangesShareOneHunk() throws Exception {
        List<String> b = new ArrayList<>(numbered(30));
        b.set(10, "ten");
        b.set(15, "fifteen");
        assertLikeDiffU(numbered(30), b);
    }

    @Test
    void fromAnEmptyFile() throws Exception {
        assertLikeDiffU(List.of(), numbered(3));
    }

    @Test
    void toAnEmptyFile() throws Exception {
        assertLikeDiffU(numbered(3), List.of());
    }

    @Test
    void binaryContentIsSummarised() {
        assertThat(UnifiedDiff.of("x", new byte[] {0, 1}, "y", new byte[] {0, 2})).isEqualTo("Binary files x and y differ\n");
    }

    @Test
    void byteFormReadsLinesWithOrWithoutFinalNewline() throws IOException {
        String d = UnifiedDiff.of("x", "a\nb\n".getBytes(StandardCharsets.UTF_8), "y", "a\nc\n".getBytes(StandardCharsets.UTF_8));
        assertThat(d).isEqualTo("--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    }
}
