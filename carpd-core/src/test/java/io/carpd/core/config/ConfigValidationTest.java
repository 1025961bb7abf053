package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpd.core.config.ConfigProblem.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per class of config mistake: the message names the exact file:line:column and field. */
class ConfigValidationTest {
    private static final Path FILE = Path.of("t.yaml");
    private static final ConfigLoader LOADER = new ConfigLoader(InterfaceAddresses.unknown(), () -> "testhost");

    @TempDir
    Path dir;

    @Test
    void unknownKeyIsAnErrorWithTheClosestKnownKey() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                  advksew: 5
                  interface: lan
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    bogus: 1
                """)).containsExactly(
                "t.yaml:4:3: defaults.advksew: unknown key (did you mean 'advskew'?)",
                "t.yaml:5:3: defaults.interface: unknown key (allowed in vhids entries, sync)",
                "t.yaml:10:5: vhids[0].bogus: unknown key");
    }

    @Test
    void wrongTypesNameWhatWasExpected() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: 192.0.2.1/24
                    advbase: fast
                    preempt: maybe
                api: /run/carpd.sock
                """)).containsExactly(
                "t.yaml:7:16: vhids[0].addresses: expected a list like [192.0.2.1/24], got '192.0.2.1/24'",
                "t.yaml:8:14: vhids[0].advbase: expected an integer, got 'fast'",
                "t.yaml:9:14: vhids[0].preempt: expected true or false, got 'maybe'",
                "t.yaml:10:6: api: expected a mapping of socket, socket_group, tcp, got '/run/carpd.sock'");
    }

    @Test
    void vhidOutOfRange() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 300
                    interface: lan
                    addresses: [192.0.2.1/24]
                  - vhid: 0
                    interface: lan
                    addresses: [192.0.2.2/24]
                """)).containsExactly(
                "t.yaml:5:11: vhids[0].vhid: 300 is out of range 1..255",
                "t.yaml:8:11: vhids[1].vhid: 0 is out of range 1..255");
    }

    @Test
    void timerValuesOutOfRange() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                  advbase: 256
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    advskew: 255
                    dead_ratio: 0
                """)).containsExactly(
                "t.yaml:4:12: defaults.advbase: 256 is out of range 0..255",
                "t.yaml:9:14: vhids[0].advskew: 255 is out of range 0..254",
                "t.yaml:10:17: vhids[0].dead_ratio: 0 is out of range 1..255");
    }

    @Test
    void duplicateVhidOnOneInterfaceButNotAcrossInterfaces() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.2/24]
                  - vhid: 1
                    interface: wan
                    addresses: [203.0.113.4/28]
                """)).containsExactly("t.yaml:8:11: vhids[1].vhid: vhid 1 is already configured on lan (line 5)");
    }

    @Test
    void missingOrEmptyAddresses() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                  - vhid: 2
                    interface: lan
                    addresses: []
                """)).containsExactly(
                "t.yaml:5:5: vhids[0].addresses: no addresses: list at least one VIP with its prefix length",
                "t.yaml:9:16: vhids[1].addresses: no addresses: list at least one VIP with its prefix length");
    }

    @Test
    void malformedAddressesAndPrefixes() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses:
                      - 192.0.2.300/24
                      - 192.0.2.1
                      - 192.0.2.1/33
                      - "2001:db8::1/129"
                      - vip.example.com/24
                      - 224.0.0.18/24
                """)).containsExactly(
                "t.yaml:8:9: vhids[0].addresses[0]: '192.0.2.300' is not an IP address",
                "t.yaml:9:9: vhids[0].addresses[1]: '192.0.2.1' has no prefix length (write e.g. 192.0.2.1/24)",
                "t.yaml:10:9: vhids[0].addresses[2]: '192.0.2.1/33': prefix length must be 0..32",
                "t.yaml:11:9: vhids[0].addresses[3]: '2001:db8::1/129': prefix length must be 0..128",
                "t.yaml:12:9: vhids[0].addresses[4]: 'vip.example.com' is not an IP address",
                "t.yaml:13:9: vhids[0].addresses[5]: 224.0.0.18 cannot be a virtual address (unspecified, loopback or multicast)");
    }

    @Test
    void addressUsedByTwoVhids() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                  - vhid: 2
                    interface: lan
                    addresses: ["2001:db8::1/64", 192.0.2.1/24]
                """)).containsExactly(
                "t.yaml:10:35: vhids[1].addresses[1]: 192.0.2.1 is already used by vhids[0].addresses[0] (line 7)");
    }

    @Test
    void passwordAndPasswordFileBothOrNeither() {
        assertThat(problems("""
                node: t1
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    password: a
                    password_file: /etc/carpd/carp.pass
                  - vhid: 2
                    interface: lan
                    addresses: [192.0.2.2/24]
                """)).containsExactly(
                "t.yaml:7:20: vhids[0].password_file: set either password or password_file, not both",
                "t.yaml:8:5: vhids[1].password: no password: set password or password_file here or under defaults");
    }

    @Test
    void unreadableOrEmptyPasswordFileNamesPathAndReason() throws IOException {
        Path missing = dir.resolve("missing.pass");
        Path empty = Files.writeString(dir.resolve("empty.pass"), "\n");
        assertThat(problems("""
                node: t1
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    password_file: %s
                  - vhid: 2
                    interface: lan
                    addresses: [192.0.2.2/24]
                    password_file: %s
                  - vhid: 3
                    interface: lan
                    addresses: [192.0.2.3/24]
                    password_file: %s
                  - vhid: 4
                    interface: lan
                    addresses: [192.0.2.4/24]
                    password_file: carp.pass
                """.formatted(missing, empty, dir))).containsExactly(
                "t.yaml:6:20: vhids[0].password_file: cannot read " + missing + ": No such file or directory",
                "t.yaml:10:20: vhids[1].password_file: " + empty + " is empty",
                "t.yaml:14:20: vhids[2].password_file: cannot read " + dir + ": Is a directory",
                "t.yaml:18:20: vhids[3].password_file: must be an absolute path, got 'carp.pass'");
    }

    @Test
    void passwordFileIsReadWithoutTrailingNewlineAndWarnsWhenWorldReadable() throws Exception {
        Path pass = Files.writeString(dir.resolve("carp.pass"), "hunter2\r\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
        LoadedConfig loaded = LOADER.readString("""
                node: t1
                defaults:
                  password_file: %s
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                """.formatted(pass), FILE);

        assertThat(loaded.config().vhids().getFirst().password()).isEqualTo("hunter2".getBytes());
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(
                "warning: t.yaml:3:18: defaults.password_file: " + pass + " is readable by every user; restrict it (chmod 600)");
    }

    @Test
    void passwordLongerThan19BytesIsAWarningNotAnError() throws Exception {
        LoadedConfig loaded = LOADER.readString("""
                node: t1
                defaults:
                  password: 12345678901234567890
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                """, FILE);

        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(
                "warning: t.yaml:3:13: defaults.password: password is 20 bytes; only the first 19 count"
                        + " (BSD ifconfig truncates it the same way)");
        assertThat(loaded.warnings().getFirst().severity()).isEqualTo(Severity.WARNING);
        assertThat(loaded.config().vhids().getFirst().password()).hasSize(20);
    }

    @Test
    void peersMustMatchAnAddressFamilyOfTheVhid() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    peers: ["2001:db8::2", 192.0.2.2, 192.0.2.1, ff02::12]
                """)).containsExactly(
                "t.yaml:8:13: vhids[0].peers[0]: peer 2001:db8::2 is IPv6 but this vhid has no IPv6 address",
                "t.yaml:8:39: vhids[0].peers[2]: 192.0.2.1 is a virtual address of this vhid, not a peer",
                "t.yaml:8:50: vhids[0].peers[3]: ff02::12 is not a unicast address");
    }

    @Test
    void unknownMasterDownValueListsTheKnownOnes() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                  master_down: newest
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                    master_down: openbsd-current
                """)).containsExactly(
                "t.yaml:4:16: defaults.master_down: unknown value 'newest'; expected one of classic, openbsd-current");
    }

    @Test
    void apiTcpOffLoopbackNeedsAToken() throws Exception {
        String base = """
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                """;
        assertThat(problems(base + """
                api:
                  tcp: { bind: 0.0.0.0, port: 8118 }
                """)).containsExactly("t.yaml:9:16: api.tcp.bind: listening on 0.0.0.0 without token_file would let anyone"
                + " who reaches the port change CARP state; set token_file or bind to loopback");

        LoadedConfig loopback = LOADER.readString(base + "api:\n  tcp: { bind: \"::1\" }\n", FILE);
        assertThat(loopback.config().api().tcp().port()).isEqualTo(8118);
        assertThat(loopback.config().api().tcp().tokenFile()).isNull();
    }

    @Test
    void relativePathsAreRejected() {
        assertThat(problems("""
                node: t1
                runtime_dir: run/carpd
                state_dir: /var/lib/carpd
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                hooks: { dir: hooks.d }
                """)).containsExactly(
                "t.yaml:2:14: runtime_dir: must be an absolute path, got 'run/carpd'",
                "t.yaml:10:15: hooks.dir: must be an absolute path, got 'hooks.d'");
    }

    @Test
    void nodeDefaultsToTheHostNameAndIsAnErrorWhenThatIsUnknown() throws Exception {
        String noNode = """
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                """;
        assertThat(LOADER.readString(noNode, FILE).config().node()).isEqualTo("testhost");

        ConfigLoader noHostname = new ConfigLoader(InterfaceAddresses.unknown(), () -> null);
        assertThatThrownBy(() -> noHostname.readString(noNode, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getProblems()).map(ConfigProblem::toString)
                        .containsExactly("t.yaml:1:1: node: missing, and the host name cannot be read to default it"));
    }

    @Test
    void defaultsApplyToEveryVhidAndEntriesOverrideThem() throws Exception {
        CarpdConfig c = LOADER.readString("""
                node: t1
                defaults:
                  advbase: 2
                  advskew: 50
                  preempt: false
                  dead_ratio: 4
                  master_down: openbsd-current
                  password: shared
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                  - vhid: 2
                    interface: lan
                    addresses: [192.0.2.2/24]
                    advskew: 7
                    password: zanzibar
                    groups: [carp, uplink]
                """, FILE).config();

        VhidConfig first = c.vhids().get(0);
        VhidConfig second = c.vhids().get(1);
        assertThat(List.of(first.advbase(), first.advskew(), first.deadRatio())).containsExactly(2, 50, 4);
        assertThat(first.preempt()).isFalse();
        assertThat(first.masterDown()).isEqualTo(io.carpd.core.election.VirtualHostConfig.MasterDownFormula.OPENBSD_CURRENT);
        assertThat(first.password()).isEqualTo("shared".getBytes());
        assertThat(second.advskew()).isEqualTo(7);
        assertThat(second.advbase()).isEqualTo(2);
        assertThat(second.password()).isEqualTo("zanzibar".getBytes());
        assertThat(second.groups()).containsExactly("uplink");
        assertThat(second.toString()).doesNotContain("zanzibar");
        assertThat(c.api().socket()).isEqualTo(Path.of("/run/carpd/carpd.sock"));
        assertThat(c.hooks()).isNull();
        assertThat(c.sync()).isNull();
    }

    @Test
    void allProblemsOfAFileAreReportedInOnePassInFileOrder() {
        List<ConfigProblem> found = problemList("""
                node: t1
                mac_mode: virtaul
                state_dir: var/lib/carpd
                defaults:
                  advbase: -1
                vhids:
                  - vhid: 256
                    interface: lan
                    addresses: [192.0.2.1]
                    peers: [192.0.2.2]
                  - vhid: 2
                    interface: lan
                    addresses: [192.0.2.3/24]
                    timeout: 3
                sync:
                  interface: sync
                  local: 198.51.100.1
                  peer: "2001:db8::2"
                """);

        assertThat(found).extracting(p -> p.line() + ":" + p.field()).containsExactly(
                "2:mac_mode", "3:state_dir", "5:defaults.advbase",
                "7:vhids[0].password", "7:vhids[0].vhid", "9:vhids[0].addresses[0]",
                "11:vhids[1].password", "14:vhids[1].timeout",
                "16:sync.key_file", "18:sync.peer");
        assertThat(found).allMatch(ConfigProblem::isError);
    }

    @Test
    void yamlSyntaxErrorsArePositioned() {
        assertThat(problems("""
                node: t1
                vhids:
                  - vhid: 1
                   interface: lan
                """)).singleElement().asString().startsWith("t.yaml:4:").contains("YAML syntax");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThat(problems("""
                node: t1
                node: t2
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                """)).containsExactly("t.yaml:2:1: node: duplicate key (first set on line 1)");
    }

    @Test
    void vipOutsideEverySubnetOfItsInterfaceIsAWarning() throws Exception {
        Map<String, List<IpPrefix>> host = Map.of(
                "lan", List.of(IpPrefix.parse("192.0.2.10/24"), IpPrefix.parse("198.51.100.1/30")),
                "wan", List.of(IpPrefix.parse("203.0.113.4/28")));
        ConfigLoader loader = new ConfigLoader(iface -> Optional.ofNullable(host.get(iface)), () -> "t1");
        String yaml = """
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24, 198.51.100.9/24]
                  - vhid: 2
                    interface: wan
                    addresses: [203.0.113.4/28]
                  - vhid: 3
                    interface: dmz
                    addresses: [10.9.9.9/24]
                """;

        // wan holds only the VIP itself (this node is MASTER): that does not make it covered.
        assertThat(loader.readString(yaml, FILE).warnings()).map(ConfigProblem::toString).containsExactly(
                "warning: t.yaml:7:31: vhids[0].addresses[1]: 198.51.100.9 is outside every subnet of lan"
                        + " [192.0.2.10/24, 198.51.100.1/30]",
                "warning: t.yaml:10:17: vhids[1].addresses[0]: 203.0.113.4 is outside every subnet of wan []");
        assertThat(LOADER.readString(yaml, FILE).warnings()).isEmpty();
    }

    @Test
    void syncLocalAddressMissingFromTheSyncInterfaceIsAWarning() throws Exception {
        Path key = Files.writeString(dir.resolve("sync.key"), "k\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        ConfigLoader loader = new ConfigLoader(
                iface -> iface.equals("sync") ? Optional.of(List.of(IpPrefix.parse("198.51.100.2/30"))) : Optional.empty(),
                () -> "t1");

        assertThat(loader.readString("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                sync:
                  interface: sync
                  local: 198.51.100.1
                  peer: 198.51.100.2
                  key_file: %s
                """.formatted(key), FILE).warnings()).map(ConfigProblem::toString)
                .containsExactly("warning: t.yaml:10:10: sync.local: 198.51.100.1 is not an address of sync");
    }

    @Test
    void syncNeedsMatchingFamiliesAndItsRequiredKeys() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                sync:
                  interface: sync
                  local: 198.51.100.1
                  peer: "2001:db8::2"
                  prot: 8372
                """)).containsExactly(
                "t.yaml:9:3: sync.key_file: missing (sync needs interface, local, peer and key_file)",
                "t.yaml:11:9: sync.peer: peer 2001:db8::2 is not of the same address family as local 198.51.100.1",
                "t.yaml:12:3: sync.prot: unknown key (did you mean 'port'?)");
    }

    @Test
    void syncInterfaceNameIsCheckedLikeAVhidInterface() {
        assertThat(problems("""
                node: t1
                defaults:
                  password: secret
                vhids:
                  - vhid: 1
                    interface: lan
                    addresses: [192.0.2.1/24]
                sync:
                  interface: sync/0
                  local: 198.51.100.1
                  peer: 198.51.100.2
                """)).containsExactly(
                "t.yaml:9:3: sync.key_file: missing (sync needs interface, local, peer and key_file)",
                "t.yaml:9:14: sync.interface: 'sync/0' is not a valid Linux interface name");
    }

    @Test
    void unreadableConfigFileIsAFileLevelProblem() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getProblems()).map(ConfigProblem::toString)
                        .containsExactly(missing + ": cannot read: No such file or directory"));
    }

    @Test
    void emptyFileAndEmptyVhidListAreErrors() {
        assertThat(problems("")).containsExactly("t.yaml: the file is empty; it needs at least node and vhids");
        assertThat(problems("node: t1\nvhids: []\n")).containsExactly("t.yaml:2:8: vhids: empty: configure at least one virtual host");
    }

    private static List<String> problems(String yaml) {
        return problemList(yaml).stream().map(ConfigProblem::toString).toList();
    }

    private static List<ConfigProblem> problemList(String yaml) {
        try {
            return LOADER.readString(yaml, FILE).warnings();
        } catch (ConfigException e) {
            return e.getProblems();
        }
    }
}
