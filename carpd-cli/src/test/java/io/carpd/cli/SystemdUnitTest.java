package io.carpd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/carpd.service: what it grants, and that systemd accepts it without a single complaint. */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "config", "carpd.service");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    @Test
    void runsTheDaemonWithOnlyNetworkCapabilities() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);

        assertThat(lines).contains(
                "Type=simple",
                "ExecStart=/usr/bin/carpd run -c /etc/carpd/carpd.yaml",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "Restart=on-failure",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=/run/carpd /var/lib/carpd",
                "RuntimeDirectory=carpd",
                "StateDirectory=carpd",
                "PrivateTmp=yes");
        assertThat(lines).noneMatch(l -> l.startsWith("ProtectKernelTunables=yes"));
    }

    @Test
    void systemdAnalyzeVerifyIsSilent() throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze not installed (Debian package: systemd); skipping unit verification");
        // verify insists that ExecStart binaries exist; stand in for /usr/bin/carpd.
        Path stub = Files.writeString(dir.resolve("carpd"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
        String unit = Files.readString(UNIT).replace("/usr/bin/carpd", stub.toString());

        assertThat(verify("carpd.service", unit)).isEqualTo(new Result(0, ""));
        // The check can fail: a misspelt directive is reported.
        assertThat(verify("broken.service", unit.replace("PrivateTmp=", "PrivatTmp=")).output()).contains("PrivatTmp");
    }

    private record Result(int exit, String output) {
    }

    private Result verify(String name, String content) throws Exception {
        Path unit = Files.writeString(dir.resolve(name), content);
        Process p = new ProcessBuilder(ANALYZE.toString(), "verify", unit.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze finished").isTrue();
        return new Result(p.exitValue(), output);
    }
}
