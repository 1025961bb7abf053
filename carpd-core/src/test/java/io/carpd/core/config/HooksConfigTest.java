package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hooks} section: dir, timeout_s and the commands list with position-aware errors. */
class HooksConfigTest {
    private static final Path FILE = Path.of("t.yaml");
    private static final ConfigLoader LOADER = new ConfigLoader(InterfaceAddresses.unknown(), () -> "testhost");
    private static final String VHIDS = """
            node: t1
            defaults:
              password: secret
            vhids:
              - vhid: 1
                interface: lan
                addresses: [192.0.2.1/24]
            """;

    @TempDir
    Path dir;

    @Test
    void commandsLoadInOrderNormalizedAndWithoutWarningsWhenExecutable() throws Exception {
        Path a = executable("a");
        Path b = executable("b");
        LoadedConfig loaded = LOADER.readString(VHIDS + """
                hooks:
                  dir: %s
                  timeout_s: 3
                  commands: [%s, %s/./a]
                """.formatted(dir, b, dir), FILE);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().hooks()).isEqualTo(new HooksConfig(dir, Duration.ofSeconds(3), List.of(b, a)));
    }

    @Test
    void commandsDefaultToNone() throws Exception {
        HooksConfig hooks = LOADER.readString(VHIDS + "hooks: { timeout_s: 5 }\n", FILE).config().hooks();
        assertThat(hooks.commands()).isEmpty();
        assertThat(hooks.dir()).isEqualTo(Path.of("/etc/carpd/hooks.d"));
    }

    @Test
    void badCommandsAreReportedAtTheirItem() throws Exception {
        Path a = executable("a");
        assertThat(errors(VHIDS + """
                hooks:
                  commands:
                    - notify.sh
                    - %s
                    - {path: /bin/true}
                    - %s
                """.formatted(a, a))).containsExactly(
                "t.yaml:10:7: hooks.commands[0]: must be an absolute path, got 'notify.sh'",
                "t.yaml:12:7: hooks.commands[2]: expected a single value, got a mapping",
                "t.yaml:13:7: hooks.commands[3]: " + a + " is already listed at commands[1]; it would run twice");
    }

    @Test
    void commandsMustBeAList() {
        assertThat(errors(VHIDS + "hooks: { commands: /bin/true }\n")).containsExactly(
                "t.yaml:8:20: hooks.commands: expected a list like [/usr/local/libexec/carpd-notify], got '/bin/true'");
    }

    @Test
    void aCommandThatIsNotExecutableYetIsOnlyAWarning() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\n");
        Path missing = dir.resolve("missing");
        LoadedConfig loaded = LOADER.readString(VHIDS + "hooks: { commands: [%s, %s] }\n".formatted(plain, missing), FILE);

        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(
                "warning: t.yaml:8:21: hooks.commands[0]: " + plain + " is not an executable file; it is skipped until it is one",
                "warning: t.yaml:8:" + (23 + plain.toString().length()) + ": hooks.commands[1]: " + missing
                        + " is not an executable file; it is skipped until it is one");
        assertThat(loaded.config().hooks().commands()).containsExactly(plain, missing);
    }

    private Path executable(String name) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static List<String> errors(String yaml) {
        try {
            LOADER.readString(yaml, FILE);
        } catch (ConfigException e) {
            return e.getProblems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected");
    }
}
