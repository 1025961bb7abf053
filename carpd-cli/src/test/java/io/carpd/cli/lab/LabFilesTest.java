package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.ConfigLoader;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.config.LoadedConfig;
import io.carpd.core.config.VhidConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the lab writes and reads back: configs, its record, prober summaries, timing floors. */
class LabFilesTest {

    @TempDir Path dir;

    @Test
    void fw2ConfigCarriesItsSkewPeersAndOwnPaths() {
        LabLayout layout = new LabLayout(dir);
        String yaml = NodeConfigWriter.yaml(layout, LabNode.FW2, LabProfile.reference().withUnicastPeers());

        assertThat(yaml).contains("node: fw2\n", "advbase: 1\n", "advskew: 100\n",
                "runtime_dir: " + dir.resolve("fw2/run") + "\n", "state_dir: " + dir.resolve("fw2/state") + "\n",
                "password_file: " + dir.resolve("fw2/carp.pass") + "\n");
        assertThat(yaml).contains("""
                  - vhid: 1
                    interface: wan
                    addresses: [203.0.113.4/28]
                    peers: [203.0.113.2]
                """, """
                  - vhid: 2
                    interface: lan
                    addresses: [192.0.2.254/24]
                    peers: [192.0.2.1]
                """);
        assertThat(yaml).doesNotContain(": /run/", ": /etc/", ": /var/");
    }

    @Test
    void generatedConfigsLoadCleanlyWithTheDaemonsLoader() throws Exception {
        LabLayout layout = new LabLayout(dir);
        LabProfile p = LabProfile.reference().withUnicastPeers();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            LoadedConfig loaded = ConfigLoader.standard().read(NodeConfigWriter.write(layout, fw, p));
            assertThat(loaded.warnings()).isEmpty();
            CarpdConfig c = loaded.config();
            assertThat(c.node()).isEqualTo(fw.label());
            assertThat(c.runtimeDir()).isEqualTo(layout.runtimeDir(fw));
            assertThat(c.vhids()).extracting(VhidConfig::vhid, VhidConfig::iface, VhidConfig::advskew)
                    .containsExactly(tuple(1, "wan", p.advskew(fw)), tuple(2, "lan", p.advskew(fw)));
            assertThat(c.vhids().get(1).addresses()).containsExactly(IpPrefix.parse("192.0.2.254/24"));
            assertThat(c.vhids().get(1).peers())
                    .containsExactly(InetAddress.getByName(Topology.address(fw.other(), Segment.LAN)));
            assertThat(new String(c.vhids().getFirst().password(), StandardCharsets.UTF_8))
                    .isEqualTo(LabProfile.DEFAULT_PASSWORD);
        }
    }

    @Test
    void keepalivedIsTimedLikeTheCarpProfile() {
        LabProfile ref = LabProfile.reference();
        assertThat(KeepalivedConfigWriter.config(LabNode.FW2, ref))
                .contains("virtual_router_id 2", "priority 156", "advert_int 1\n", "192.0.2.254/24 dev lan")
                .doesNotContain("version 3");
        assertThat(KeepalivedConfigWriter.masterDownSeconds(ref)).isEqualTo(ref.masterDownSeconds());

        LabProfile sub = new LabProfile(0, 50, 100, "p", "p", false);
        assertThat(KeepalivedConfigWriter.config(LabNode.FW1, sub)).contains("version 3", "advert_int 0.20", "priority 206");
        assertThat(KeepalivedConfigWriter.masterDownSeconds(sub)).isCloseTo(3 * 0.2 + 100 * 0.2 / 256, within(1e-9));
    }

    @Test
    void ucarpRunsOneProcessPerVhidWithTheProfilesTiming() {
        LabLayout layout = new LabLayout(dir);
        List<List<String>> cmds = UcarpSetup.commands(layout, LabNode.FW2, LabProfile.reference());
        assertThat(cmds).hasSize(2);
        assertThat(cmds.get(1)).contains("--interface=lan", "--srcip=192.0.2.2", "--vhid=2", "--addr=192.0.2.254",
                "--advbase=1", "--advskew=100", "--xparam=24", "--passfile=" + layout.passwordFile(LabNode.FW2));
        assertThatThrownBy(() -> UcarpSetup.write(layout, LabNode.FW1, LabProfile.reference().withUnicastPeers()))
                .hasMessageContaining("unicast");
    }

    @Test
    void multicastConfigHasNoPeers() {
        String yaml = NodeConfigWriter.yaml(new LabLayout(dir), LabNode.FW1, LabProfile.reference());
        assertThat(yaml).contains("advskew: 0\n").doesNotContain("peers");
    }

    @Test
    void passwordFileHoldsEachNodesPassword() throws Exception {
        LabLayout layout = new LabLayout(dir);
        LabProfile p = LabProfile.reference().withFw2Password("other-secret");
        NodeConfigWriter.write(layout, LabNode.FW1, p);
        NodeConfigWriter.write(layout, LabNode.FW2, p);
        assertThat(layout.passwordFile(LabNode.FW1)).hasContent(LabProfile.DEFAULT_PASSWORD);
        assertThat(layout.passwordFile(LabNode.FW2)).hasContent("other-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.passwordFile(LabNode.FW2))))
                .isEqualTo("rw-------");
    }

    @Test
    void onlyTheLabsOwnLogsCountAsLogs() {
        LabLayout layout = new LabLayout(dir);
        assertThat(layout.isLog(layout.log(LabNode.FW1))).isTrue();
        assertThat(layout.isLog(layout.probeLog(3))).isTrue();
        assertThat(layout.isLog(dir.resolve("notes.log"))).isFalse();
        assertThat(layout.isLog(dir.resolve("sub").resolve("fw1.log"))).isFalse();
    }

    @Test
    void recordRoundTripsNamespacesAndProfile() {
        Path file = dir.resolve("lab.properties");
        LabProfile profile = new LabProfile(0, 50, 120, "a", "b", true);
        LabRecord r = LabRecord.create(file, "cdtab12-", profile, DaemonKind.KEEPALIVED);
        r.addNamespace("cdtab12-client");
        r.addNamespace("cdtab12-fw1");

        LabRecord back = LabRecord.read(file);
        assertThat(back.prefix()).isEqualTo("cdtab12-");
        assertThat(back.profile()).isEqualTo(profile);
        assertThat(back.daemon()).isEqualTo(DaemonKind.KEEPALIVED);
        assertThat(back.namespaces()).containsExactly("cdtab12-client", "cdtab12-fw1");
    }

    @Test
    void missingRecordNamesTheFile() {
        Path file = dir.resolve("nothing.properties");
        assertThatThrownBy(() -> LabRecord.read(file)).isInstanceOf(LabException.class).hasMessageContaining(file.toString());
    }

    @Test
    void proberSummaryParsesBack() {
        UdpProber.Result r = new UdpProber.Result(1000, 640, 3512, 1_700_000_000_123L, 1_700_000_003_635L);
        assertThat(UdpProber.Result.parse(r.line())).isEqualTo(r);
        assertThatThrownBy(() -> UdpProber.Result.parse("gap 34 ms from 1 to 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masterDownFloorFollowsTheClassicFormula() {
        assertThat(LabProfile.reference().masterDownSeconds()).isEqualTo(3 + 100 / 256.0);
        assertThat(new LabProfile(0, 50, 100, "p", "p", false).masterDownSeconds()).isEqualTo(300 / 256.0);
        assertThat(new LabProfile(0, 0, 0, "p", "p", false).masterDownSeconds()).isEqualTo(3 / 256.0);
    }

    @Test
    void badPrefixAndProfileAreRejected() {
        assertThatThrownBy(() -> new Topology("bad prefix")).hasMessageContaining("bad prefix");
        assertThatThrownBy(() -> new LabProfile(1, 255, 0, "p", "p", false)).hasMessageContaining("255");
        assertThatThrownBy(() -> LabNode.firewall("client")).hasMessageContaining("client");
    }
}
