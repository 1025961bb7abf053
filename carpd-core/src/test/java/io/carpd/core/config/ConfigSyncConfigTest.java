package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSyncConfigTest {
    private static final ConfigLoader LOADER = new ConfigLoader(InterfaceAddresses.unknown(), () -> "testhost");

    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void key() throws IOException {
        key = dir.resolve("sync.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private String base(String node, int advskew) {
        return "node: " + node + "\n"
                + "defaults: {password: secret, advskew: " + advskew + "}\n"
                + "vhids:\n"
                + "  - {vhid: 1, interface: wan, addresses: [203.0.113.4/28], groups: [uplink], peers: [203.0.113.3]}\n"
                + "  - {vhid: 2, interface: lan, addresses: [192.0.2.254/24]}\n"
                + "sync: {interface: sync, local: 198.51.100.1, peer: 198.51.100.2, key_file: " + key + "}\n";
    }

    private List<String> problems(String yaml) {
        try {
            return LOADER.readString(yaml, Path.of("t.yaml")).warnings().stream().map(ConfigProblem::toString).toList();
        } catch (ConfigException e) {
            return e.getProblems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void fullSectionWithDefaults() throws ConfigException {
        CarpdConfig c = LOADER.readString(base("fw1", 0) + """
                config_sync:
                  after_reload: true
                  vhids: {role: send}
                  files:
                    - {name: nftables, path: /etc/nftables.conf, validate: "nft -c -f {}", apply: "nft -f {}"}
                    - {name: local-notes, path: /etc/notes, sync: false}
                """, Path.of("t.yaml")).config();
        ConfigSyncConfig cs = c.configSync();
        assertThat(cs.afterReload()).isTrue();
        assertThat(cs.keepVersions()).isEqualTo(5);
        assertThat(cs.transferTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cs.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cs.rateLimitKibps()).isZero();
        assertThat(cs.vhids()).isEqualTo(new ConfigSyncConfig.VhidSync(true, 100, null));
        assertThat(cs.files()).containsExactly(
                new ConfigSyncConfig.SyncedFile("nftables", Path.of("/etc/nftables.conf"), true, "nft -c -f {}", "nft -f {}"),
                new ConfigSyncConfig.SyncedFile("local-notes", Path.of("/etc/notes"), false, null, null));
    }

    @Test
    void mistakesAreReportedWhereTheyAre() {
        assertThat(problems(base("fw1", 0) + """
                config_sync:
                  vhids: {role: receive}
                  files:
                    - {name: nft, path: /etc/a}
                    - {name: nft, path: relative}
                    - {name: Bad Name, path: /etc/a}
                    - {name: vhids, path: /etc/v}
                    - {path: /etc/x, validate: ""}
                """)).containsExactly(
                "t.yaml:8:10: config_sync.vhids.file: missing: where this node keeps the VHID definitions it receives",
                "t.yaml:11:14: config_sync.files[1].name: duplicate name 'nft' (first used by files[0])",
                "t.yaml:11:25: config_sync.files[1].path: must be an absolute path, got 'relative'",
                "t.yaml:12:14: config_sync.files[2].name: 'Bad Name' is not a valid section name (lower-case letters, digits, '_', '.', '-'; at most 63)",
                "t.yaml:12:30: config_sync.files[2].path: /etc/a is already synced as files[0]",
                "t.yaml:13:14: config_sync.files[3].name: 'vhids' is reserved for carpd's own VHID definitions",
                "t.yaml:14:7: config_sync.files[4].name: missing (each file needs name and path)",
                "t.yaml:14:32: config_sync.files[4].validate: empty command; leave the key out instead");
    }

    @Test
    void configSyncNeedsTheSyncLinkAndRolesTheirKeys() {
        String noSync = base("fw1", 0).replaceAll("sync: \\{.*\\}\\n", "");
        assertThat(problems(noSync + "config_sync:\n  files: [{name: a, path: /etc/a}]\n"))
                .containsExactly("t.yaml:7:3: config_sync: needs the sync section: config is pushed over the sync link");
        assertThat(problems(base("fw1", 0) + "config_sync:\n  vhids: {role: send, file: /etc/carpd/v.yaml}\n"))
                .containsExactly("t.yaml:8:29: config_sync.vhids.file: only a node with role receive keeps received VHID definitions");
        assertThat(problems(base("fw1", 0) + "config_sync:\n  vhids: {role: receive, file: /x, advskew_offset: 5}\n"))
                .containsExactly("t.yaml:8:52: config_sync.vhids.advskew_offset: applies on the sending node (role send)");
    }

    @Test
    void peerAdvskewIsOffsetAndCappedLikeOpnsense() {
        ConfigSyncConfig.VhidSync rule = new ConfigSyncConfig.VhidSync(true, 100, null);
        assertThat(rule.peerAdvskew(0)).isEqualTo(100);
        assertThat(rule.peerAdvskew(100)).isEqualTo(200);
        assertThat(rule.peerAdvskew(154)).isEqualTo(254);
        assertThat(rule.peerAdvskew(200)).isEqualTo(254);
    }

    @Test
    void receivedVhidsAreLaidOverTheLocalEntriesKeepingNodeLocalValues() throws Exception {
        CarpdConfig fw1 = LOADER.readString(base("fw1", 0) + "config_sync:\n  vhids: {role: send}\n"
                + "  files: []\n", Path.of("fw1.yaml")).config();
        // fw1 runs advbase 1 on both; say it moved vhid 2 to advbase 2 and added a v6 address
        List<VhidConfig> sent = new ArrayList<>(fw1.vhids());
        VhidConfig lan = sent.get(1);
        sent.set(1, new VhidConfig(lan.iface(), 2, List.of(IpPrefix.parse("192.0.2.254/24"), IpPrefix.parse("2001:db8::1/64")),
                2, 10, false, 4, MasterDownFormula.OPENBSD_CURRENT, lan.password(), List.of(), Set.of("inside")));
        Path overlay = dir.resolve("vhids.synced.yaml");
        Files.writeString(overlay, VhidOverlay.render("fw1", sent, fw1.configSync().vhids()));

        String fw2Yaml = base("fw2", 100).replace("eth", "eth")
                .replace("interface: wan", "interface: ens3").replace("interface: lan", "interface: ens4")
                .replace("peers: [203.0.113.3]", "peers: [203.0.113.2]")
                .replace("local: 198.51.100.1, peer: 198.51.100.2", "local: 198.51.100.2, peer: 198.51.100.1")
                + "config_sync:\n  vhids: {role: receive, file: " + overlay + "}\n";
        CarpdConfig fw2 = LOADER.readString(fw2Yaml, Path.of("fw2.yaml")).config();

        VhidConfig wan2 = fw2.vhids().get(0);
        assertThat(wan2.iface()).isEqualTo("ens3");
        assertThat(wan2.advskew()).isEqualTo(100);
        assertThat(wan2.peers()).extracting(a -> a.getHostAddress()).containsExactly("203.0.113.2");
        assertThat(wan2.groups()).containsExactly("uplink");
        VhidConfig lan2 = fw2.vhids().get(1);
        assertThat(lan2.iface()).isEqualTo("ens4");
        assertThat(lan2.advbase()).isEqualTo(2);
        assertThat(lan2.advskew()).isEqualTo(110);
        assertThat(lan2.preempt()).isFalse();
        assertThat(lan2.deadRatio()).isEqualTo(4);
        assertThat(lan2.masterDown()).isEqualTo(MasterDownFormula.OPENBSD_CURRENT);
        assertThat(lan2.addresses()).containsExactly(IpPrefix.parse("192.0.2.254/24"), IpPrefix.parse("2001:db8::1/64"));
        assertThat(lan2.groups()).containsExactly("inside");
        assertThat(lan2.password()).isEqualTo("secret".getBytes());
    }

    @Test
    void syncedVhidWithoutLocalEntryIsAWarningAndABrokenFileAnError() throws IOException {
        Path overlay = dir.resolve("v.yaml");
        Files.writeString(overlay, """
                from: fw1
                vhids:
                  - {vhid: 9, advbase: 1, advskew: 100, preempt: true, dead_ratio: 3, master_down: classic, addresses: [192.0.2.9/24], groups: []}
                """);
        String yaml = base("fw2", 100) + "config_sync:\n  vhids: {role: receive, file: " + overlay + "}\n";
        assertThat(problems(yaml)).containsExactly(
                "warning: t.yaml:8:10: config_sync.vhids: vhid 9 synced from fw1 has no local vhids entry (add one with its interface)");
        Files.writeString(overlay, "vhids:\n  - {vhid: 1}\n");
        assertThat(problems(yaml)).hasSize(1).first().asString()
                .startsWith("t.yaml:8:10: config_sync.vhids.file: " + overlay + " cannot be used: ")
                .contains("vhids[0].advbase: missing");
    }
}
