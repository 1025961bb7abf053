package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.cli.Main;
import io.carpd.testing.Netns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code carpd lab} verbs as an operator types them, each a separate invocation. Needs root. */
class LabCommandNetnsTest {

    @BeforeAll
    static void guard() {
        Netns.assumeAvailable();
    }

    @Test
    void upFailRecoverDownFromTheCommandLine() {
        String prefix = LabFixture.randomPrefix();
        String dir = Path.of("target", "lab-e2e", prefix).toAbsolutePath().toString();
        Topology t = new Topology(prefix);
        try {
            Run up = carpd("lab", "up", "--prefix", prefix, "--dir", dir);
            assertThat(up.exitCode()).as(up.out()).isZero();
            assertThat(up.out()).contains("vhid 1  wan  203.0.113.4/28   held by fw1", "vhid 2  lan  192.0.2.254/24   held by fw1",
                    "(vhid 1 MASTER, vhid 2 MASTER)", "(vhid 1 BACKUP, vhid 2 BACKUP)");

            Run fail = carpd("lab", "fail", "fw1", "--dir", dir);
            assertThat(fail.exitCode()).as(fail.out()).isZero();
            assertThat(fail.out()).contains("fw1 carpd: not running");
            assertThat(Lab.await(() -> t.soleOwner(LabNode.FW2), Duration.ofSeconds(15), Duration.ofMillis(100))).isTrue();
            assertThat(carpd("lab", "status", "--dir", dir).out())
                    .contains("203.0.113.4/28   held by fw2", "192.0.2.254/24   held by fw2");

            assertThat(carpd("lab", "recover", "fw1", "--dir", dir).exitCode()).isZero();
            assertThat(Lab.await(() -> t.soleOwner(LabNode.FW1), Duration.ofSeconds(40), Duration.ofMillis(100)))
                    .as("fw1 preempts after recovery").isTrue();

            Run down = carpd("lab", "down", "--dir", dir);
            assertThat(down.exitCode()).as(down.out()).isZero();
            for (LabNode n : LabNode.values()) {
                assertThat(Namespaces.exists(t.ns(n))).as(t.ns(n)).isFalse();
            }
            assertThat(carpd("lab", "status", "--dir", dir).exitCode()).as("nothing left to report on").isNotZero();
        } finally {
            if (Namespaces.exists(t.ns(LabNode.SWITCH))) {
                Lab.open(new LabLayout(Path.of(dir)), CarpdLauncher.current()).down();
            }
        }
    }

    @Test
    void unknownNodeIsAnErrorNamingIt() {
        Run r = carpd("lab", "fail", "fw3", "--dir", "/nonexistent");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("carpd lab: no firewall node 'fw3'");

        Run none = carpd("lab", "status", "--dir", "/nonexistent");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.out()).contains("carpd lab: no lab recorded at /nonexistent/lab.properties");
    }

    private record Run(int exitCode, String out) {}

    private static Run carpd(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
