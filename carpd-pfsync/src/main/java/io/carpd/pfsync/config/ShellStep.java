package io.carpd.pfsync.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A configured command, run with {@code /bin/sh -c}; {@code {}} is replaced by the single-quoted
 * path of the file. Exit status 0 is success; anything else, a timeout or a failure to start is
 * a failure whose detail holds the command's output (bounded).
 */
public record ShellStep(String command, Duration timeout) implements Step {
    private static final int MAX_OUTPUT = 4096;

    @Override
    public Outcome run(Path file) {
        String line = expand(command, file);
        Process p;
        try {
            p = new ProcessBuilder(List.of("/bin/sh", "-c", line)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return Outcome.failure("`" + line + "` could not start: " + e.getMessage());
        }
        try {
            byte[] output = readBounded(p.getInputStream(), p);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Outcome.failure("`" + line + "` timed out after " + timeout.toSeconds() + " s");
            }
            String out = new String(output, StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? new Outcome(true, out)
                    : Outcome.failure("`" + line + "` exited with " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Outcome.failure("`" + line + "` interrupted");
        }
    }

    /** Reads output on a helper thread so a command that never closes stdout cannot block past its timeout. */
    private byte[] readBounded(InputStream in, Process p) throws InterruptedException {
        byte[][] result = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                byte[] all = in.readNBytes(MAX_OUTPUT);
                in.transferTo(java.io.OutputStream.nullOutputStream());
                result[0] = all;
            } catch (IOException e) {
                result[0] = new byte[0];
            }
        });
        if (!reader.join(timeout)) {
            p.destroyForcibly();
            reader.join(Duration.ofSeconds(1));
        }
        return result[0] == null ? new byte[0] : result[0];
    }

    static String expand(String command, Path file) {
        return command.replace("{}", quote(file.toString()));
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
