package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped files in config/ load, with the values the reference deployment needs. */
class ConfigExamplesTest {
    private static final Path CONFIG_DIR = Path.of("..", "config");

    @TempDir
    Path etc;

    @BeforeEach
    void secrets() throws IOException {
        secret("carp.pass", "s3cret-carp\n");
        secret("sync.key", "0123456789abcdef0123456789abcdef\n");
        secret("api.token", "token\n");
    }

    @Test
    void fw1IsTheReferenceMaster() throws Exception {
        LoadedConfig loaded = load("fw1.yaml");
        CarpdConfig c = loaded.config();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.node()).isEqualTo("fw1");
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/run/carpd"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/carpd"));
        assertThat(c.macMode()).isEqualTo(MacMode.INTERFACE);
        assertThat(c.announce()).isEqualTo(new AnnounceConfig(3, Duration.ofMillis(100), Duration.ZERO));
        assertThat(c.vhids()).hasSize(2);

        VhidConfig wan = c.vhids().get(0);
        assertThat(wan.key()).isEqualTo(new VhKey("wan", 1));
        assertThat(wan.addresses()).containsExactly(IpPrefix.parse("203.0.113.4/28"));
        assertThat(wan.groups()).containsExactly("uplink");
        assertThat(wan.peers()).isEmpty();
        assertThat(wan.password()).isEqualTo("s3cret-carp".getBytes(StandardCharsets.UTF_8));
        assertThat(wan.toVirtualHostConfig()).isEqualTo(new VirtualHostConfig(
                1, 1, 0, true, 3, MasterDownFormula.CLASSIC, true, false, Set.of("uplink")));

        VhidConfig lan = c.vhids().get(1);
        assertThat(lan.key()).isEqualTo(new VhKey("lan", 2));
        assertThat(lan.addresses()).containsExactly(IpPrefix.parse("192.168.1.254/24"));
        assertThat(lan.advskew()).isZero();

        assertThat(c.api().socket()).isEqualTo(Path.of("/run/carpd/carpd.sock"));
        assertThat(c.api().tcp().bind()).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(c.api().tcp().port()).isEqualTo(8118);
        assertThat(c.api().tcp().tokenFile()).isEqualTo(etc.resolve("api.token"));
        assertThat(c.hooks()).isEqualTo(new HooksConfig(etc.resolve("hooks.d"), Duration.ofSeconds(10)));
        assertThat(c.sync()).isEqualTo(new SyncConfig("sync", InetAddress.ofLiteral("192.168.254.1"),
                InetAddress.ofLiteral("192.168.254.2"), 8372, etc.resolve("sync.key"), Duration.ofSeconds(30), 32));
    }

    @Test
    void fw2DiffersOnlyInNameSkewAndSyncDirection() throws Exception {
        CarpdConfig fw1 = load("fw1.yaml").config();
        CarpdConfig fw2 = load("fw2.yaml").config();

        assertThat(fw2.node()).isEqualTo("fw2");
        assertThat(fw2.vhids()).extracting(VhidConfig::advskew).containsExactly(100, 100);
        assertThat(fw2.vhids()).extracting(VhidConfig::key).isEqualTo(fw1.vhids().stream().map(VhidConfig::key).toList());
        assertThat(fw2.vhids()).extracting(VhidConfig::addresses)
                .isEqualTo(fw1.vhids().stream().map(VhidConfig::addresses).toList());
        assertThat(fw2.sync().local()).isEqualTo(fw1.sync().peer());
        assertThat(fw2.sync().peer()).isEqualTo(fw1.sync().local());
    }

    @Test
    void exampleDocumentsEveryKeyAndLoads() throws Exception {
        CarpdConfig c = load("carpd.example.yaml").config();

        assertThat(c.vhids()).hasSize(2);
        VhidConfig wan = c.vhids().get(0);
        assertThat(wan.peers()).containsExactly(InetAddress.ofLiteral("203.0.113.3"));
        VhidConfig lan = c.vhids().get(1);
        assertThat(lan.addresses()).containsExactly(IpPrefix.parse("192.168.1.254/24"), IpPrefix.parse("2001:db8:1::254/64"));
        VirtualHostConfig lanVh = lan.toVirtualHostConfig();
        assertThat(lanVh.hasInet()).isTrue();
        assertThat(lanVh.hasInet6()).isTrue();
        assertThat(c.api().socketGroup()).isNull();

        String text = Files.readString(CONFIG_DIR.resolve("carpd.example.yaml"));
        for (String key : ConfigKeys.ALL) {
            assertThat(text).as("example documents %s", key).containsPattern("(?m)^\\s*(- )?#?\\s*" + key + ":");
        }
    }

    private LoadedConfig load(String name) throws Exception {
        String text = Files.readString(CONFIG_DIR.resolve(name)).replace("/etc/carpd/", etc + "/");
        return ConfigLoader.loadString(text, Path.of(name));
    }

    private void secret(String name, String content) throws IOException {
        Path p = etc.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
}
