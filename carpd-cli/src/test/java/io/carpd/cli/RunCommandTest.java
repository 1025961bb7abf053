package io.carpd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code carpd run} failures before the daemon runs: nothing here touches the network. */
class RunCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String config(String iface) {
        return """
                node: t1
                runtime_dir: %s
                state_dir: %s
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: %s
                    addresses: [192.0.2.254/24]
                """.formatted(dir.resolve("run"), dir.resolve("state"), iface);
    }

    @Test
    void configErrorsArePrintedLikeCheckConfigAndExitOne() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), config("cdnone0").replace("vhid: 1", "vhid: 300"));

        assertThat(run("run", "-c", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(file + ":7:11: vhids[0].vhid: 300 is out of range 1..255\n"
                + file + ": 1 error, not starting\n");
    }

    @Test
    void missingInterfaceStopsTheStartWithItsNameAndReleasesTheRuntimeDir() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.yaml"), config("cdnone0"));

        assertThat(run("run", "-c", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("carpd run: interface cdnone0 (vhid 1) does not exist\n");
        // The lock died with the failed start: a second attempt gets just as far.
        assertThat(run("run", "-c", file.toString())).isEqualTo(1);
        assertThat(err.toString()).doesNotContain("another carpd is running");
    }

    @Test
    void unknownLogLevelIsAUsageError() {
        assertThat(run("run", "--log-level", "loud")).isEqualTo(2);
        assertThat(err.toString()).contains("--log-level: 'loud' is not one of error, warn, info, debug, trace");
    }

    private int run(String... args) {
        return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }
}
