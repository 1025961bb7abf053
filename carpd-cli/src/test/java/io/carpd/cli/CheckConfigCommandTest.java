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

/** {@code carpd check-config} run in-process through {@link Main}, output captured. */
class CheckConfigCommandTest {
    private static final String VALID = """
            node: t1
            defaults:
              password: secret
            vhids:
              - vhid: 1
                interface: cdtest-lan
                addresses: [192.0.2.1/24]
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void validFileExitsZero() throws IOException {
        Path file = write("ok.yaml", VALID);

        assertThat(run("check-config", "-c", file.toString())).isZero();
        assertThat(out.toString()).isEqualTo(file + ": OK, 1 vhid, 0 warnings\n");
    }

    @Test
    void warningsArePrintedButExitStaysZero() throws IOException {
        Path file = write("warn.yaml", VALID.replace("password: secret", "password: 12345678901234567890"));

        assertThat(run("check-config", "--config", file.toString())).isZero();
        assertThat(out.toString()).isEqualTo("warning: " + file + ":3:13: defaults.password: password is 20 bytes;"
                + " only the first 19 count (BSD ifconfig truncates it the same way)\n"
                + file + ": OK, 1 vhid, 1 warning\n");
    }

    @Test
    void errorsArePrintedOnePerLineAndExitOne() throws IOException {
        Path file = write("bad.yaml", VALID.replace("vhid: 1", "vhid: 300").replace("password: secret", "pasword: secret"));

        assertThat(run("check-config", "-c", file.toString())).isEqualTo(1);
        assertThat(out.toString()).isEqualTo(
                file + ":3:3: defaults.pasword: unknown key (did you mean 'password'?)\n"
                        + file + ":5:5: vhids[0].password: no password: set password or password_file here or under defaults\n"
                        + file + ":5:11: vhids[0].vhid: 300 is out of range 1..255\n"
                        + file + ": 3 errors, 0 warnings\n");
    }

    @Test
    void missingFileIsAnError() {
        Path file = dir.resolve("absent.yaml");

        assertThat(run("check-config", "-c", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith(file + ": cannot read: No such file or directory\n");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("check-config", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }

    private int run(String... args) {
        return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
