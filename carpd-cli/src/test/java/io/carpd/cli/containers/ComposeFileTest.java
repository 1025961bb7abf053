package io.carpd.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.config.ConfigLoader;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.config.LoadedConfig;
import io.carpd.core.config.VhidConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml and the firewall configs it mounts, checked without an engine: the networks,
 * capabilities and addresses of the reference deployment, and configs whose interface placeholders
 * name exactly the subnets their service is attached to and which load once rendered.
 */
class ComposeFileTest {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{iface ([0-9./]+)}}");
    static final Map<String, String> SUBNETS = Map.of("lan", "192.0.2.0/24", "wan", "203.0.113.0/28", "sync", "198.51.100.0/29");

    @SuppressWarnings("unchecked")
    final Map<String, Object> compose = (Map<String, Object>) load(Repo.docker().resolve("compose.yaml"));

    @Test
    void networksAreInternalWithTheDocumentationSubnets() {
        Map<String, Object> networks = map(compose, "networks");
        assertThat(networks).containsOnlyKeys(SUBNETS.keySet());
        SUBNETS.forEach((name, subnet) -> {
            Map<String, Object> n = map(networks, name);
            assertThat(n.get("internal")).as(name + ".internal").isEqualTo(true);
            List<Map<String, Object>> configs = list(map(n, "ipam"), "config");
            assertThat(configs).extracting(c -> c.get("subnet")).as(name + " subnet").containsExactly(subnet);
        });
    }

    @Test
    void servicesAreTheReferenceDeploymentAndFirewallsGetOnlyNetAdminAndNetRaw() {
        assertThat(map(compose, "services")).containsOnlyKeys("client", "fw1", "fw2", "server");
        for (String fw : List.of("fw1", "fw2")) {
            Map<String, Object> s = service(fw);
            assertThat(s.get("cap_add")).as(fw + " cap_add").isEqualTo(List.of("NET_ADMIN", "NET_RAW"));
            assertThat(s).doesNotContainKeys("privileged", "network_mode");
            assertThat(s.get("volumes")).as(fw + " config mount").isEqualTo(List.of("./" + fw + ":/etc/carpd:ro"));
            assertThat(map(s, "networks")).as(fw + " networks").containsOnlyKeys("lan", "wan", "sync");
            assertThat(map(s, "build")).containsEntry("dockerfile", "docker/Dockerfile");
        }
        assertThat(map(service("client"), "networks")).containsOnlyKeys("lan");
        assertThat(map(service("server"), "networks")).containsOnlyKeys("wan");
    }

    @Test
    void everyStaticAddressLiesInItsNetworkAndNoneIsTakenTwiceOrByAVip() throws Exception {
        var seen = new TreeSet<String>();
        for (String name : map(compose, "services").keySet()) {
            map(service(name), "networks").forEach((net, v) -> {
                String ip = (String) ((Map<?, ?>) v).get("ipv4_address");
                assertThat(inSubnet(ip, SUBNETS.get(net))).as(name + " " + ip + " in " + net).isTrue();
                assertThat(ip).as(name + " " + ip).isNotIn("203.0.113.4", "192.0.2.254");
                assertThat(seen.add(ip)).as(ip + " used twice").isTrue();
            });
        }
    }

    @Test
    void firewallConfigsNameTheirServicesSubnetsAndLoadOnceRendered(@TempDir Path tmp) throws Exception {
        var skews = new java.util.HashMap<String, Integer>();
        for (String fw : List.of("fw1", "fw2")) {
            Path template = Repo.docker().resolve(fw).resolve("carpd.yaml.in");
            String text = Files.readString(template);
            var subnets = new TreeSet<String>();
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) subnets.add(m.group(1));
            var attached = new TreeSet<String>();
            map(service(fw), "networks").keySet().forEach(n -> attached.add(SUBNETS.get(n)));
            assertThat(subnets).as(fw + " placeholders").isEqualTo(attached);

            // Render as the entry point does (with "lo", which exists everywhere), and point the
            // secret files at the mounted directory's contents.
            Path rendered = tmp.resolve(fw + ".yaml");
            Files.writeString(rendered, PLACEHOLDER.matcher(text).replaceAll("lo")
                    .replace("/etc/carpd/", Repo.docker().resolve(fw) + "/"));
            LoadedConfig loaded = ConfigLoader.standard().read(rendered);
            assertThat(loaded.config().node()).isEqualTo(fw);
            assertThat(loaded.config().vhids()).extracting(VhidConfig::vhid, v -> v.addresses().stream().map(IpPrefix::toString).toList())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(1, List.of("203.0.113.4/28")),
                            org.assertj.core.groups.Tuple.tuple(2, List.of("192.0.2.254/24")));
            var nodeSkews = loaded.config().vhids().stream().map(VhidConfig::advskew).distinct().toList();
            assertThat(nodeSkews).as(fw + ": one advskew for both VHIDs, so both VIPs stay together").hasSize(1);
            skews.put(fw, nodeSkews.getFirst());
        }
        assertThat(skews.get("fw1")).as("fw1 is the preferred MASTER").isLessThan(skews.get("fw2"));
    }

    private Map<String, Object> service(String name) {
        return map(map(compose, "services"), name);
    }

    private static Object load(Path file) {
        try (var in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        } catch (Exception e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).as("key " + key).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).as("key " + key).containsKey(key);
        return (List<Map<String, Object>>) parent.get(key);
    }

    private static boolean inSubnet(String ip, String subnet) {
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            String[] parts = subnet.split("/");
            byte[] n = InetAddress.getByName(parts[0]).getAddress();
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (n[i / 8] & mask)) return false;
            }
            return true;
        } catch (Exception e) {
            throw new AssertionError(ip + " / " + subnet + ": " + e, e);
        }
    }
}
