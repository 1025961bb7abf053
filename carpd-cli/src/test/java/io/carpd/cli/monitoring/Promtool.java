package io.carpd.cli.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code promtool} (Debian package {@code prometheus}) and returns its exit code and output. */
public final class Promtool {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Skips the calling test when promtool is missing, unless namespace tests are required (CI). */
    public static void assumeInstalled() {
        if (Files.isExecutable(PROMTOOL)) return;
        if (Boolean.getBoolean("carpd.requireNetns")) {
            throw new AssertionError(PROMTOOL + " is missing: install the Debian package 'prometheus'");
        }
        Assumptions.abort(PROMTOOL + " not installed (Debian package 'prometheus')");
    }

    /** {@code promtool args...} in {@code dir}, with {@code stdin} (may be null) as standard input. */
    public static Result run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Path in = null;
        if (stdin != null) {
            in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
            pb.redirectInput(in.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
        }
        if (in != null) Files.deleteIfExists(in);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
