package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The namespace topology alone (no daemons): wiring, VIP bookkeeping, cleanup. Needs root. */
class TopologyNetnsTest {

    @BeforeAll
    static void guard() {
        Netns.assumeAvailable();
    }

    @Test
    void clientReachesServerOnlyThroughWhoeverHoldsTheVips() {
        try (Lab lab = LabFixture.create(LabProfile.reference())) {
            Topology t = lab.topology();
            assertThat(t.clientReachesServer()).as("no VIP held yet, so no route works").isFalse();

            addVips(t, LabNode.FW2);
            assertThat(t.vipHolders()).isEqualTo(Map.of(LabVip.WAN, List.of(LabNode.FW2), LabVip.LAN, List.of(LabNode.FW2)));
            assertThat(t.soleOwner(LabNode.FW2)).isTrue();
            assertThat(t.clientReachesServer()).isTrue();

            t.setSwitchPort(LabNode.FW2, Segment.LAN, false);
            assertThat(t.vipHolders().get(LabVip.LAN)).as("a VIP on a link without carrier serves nobody").isEmpty();
            assertThat(t.vipHolders().get(LabVip.WAN)).containsExactly(LabNode.FW2);
            assertThat(t.clientReachesServer()).as("fw2's LAN cable is pulled").isFalse();
        }
    }

    @Test
    void firewallsHaveTheReferenceInterfacesAndForward() {
        try (Lab lab = LabFixture.create(LabProfile.reference())) {
            Map<String, Namespaces.LinkAddresses> fw1 = Namespaces.addresses(lab.topology().ns(LabNode.FW1));
            assertThat(fw1.get("lan").addresses()).contains("192.0.2.1/24");
            assertThat(fw1.get("wan").addresses()).contains("203.0.113.2/28");
            assertThat(fw1.get("sync").addresses()).contains("198.51.100.1/30");
            assertThat(fw1.values()).allMatch(Namespaces.LinkAddresses::running);
            Map<String, Namespaces.LinkAddresses> fw2 = Namespaces.addresses(lab.topology().ns(LabNode.FW2));
            assertThat(fw2.get("lan").addresses()).contains("192.0.2.2/24");
            assertThat(fw2.get("wan").addresses()).contains("203.0.113.3/28");
            assertThat(fw2.get("sync").addresses()).contains("198.51.100.2/30");
            assertThat(Namespaces.exec(lab.topology().ns(LabNode.FW1), "sysctl", "-n", "net.ipv4.ip_forward").strip())
                    .isEqualTo("1");
            assertThat(Namespaces.tryRun(List.of("ip", "netns", "exec", lab.topology().ns(LabNode.FW1), "ping",
                    "-c", "1", "-W", "1", "198.51.100.2"), null).ok()).as("sync link fw1 -> fw2").isTrue();
        }
    }

    @Test
    void downFromTheRecordRemovesEveryNamespaceAndProcess() {
        Lab created = LabFixture.create(LabProfile.reference());
        try {
            Topology t = created.topology();
            Process sleeper = Namespaces.spawn(t.ns(LabNode.SERVER), List.of("sleep", "60"),
                    created.layout().log(LabNode.SERVER));

            Lab.open(created.layout(), CarpdLauncher.current()).down();

            for (LabNode n : LabNode.values()) {
                assertThat(Namespaces.exists(t.ns(n))).as(t.ns(n)).isFalse();
            }
            assertThat(sleeper.isAlive()).isFalse();
            assertThat(created.layout().stateFile()).doesNotExist();
        } finally {
            created.close();
        }
    }

    private static void addVips(Topology t, LabNode fw) {
        for (LabVip vip : LabVip.values()) {
            Namespaces.ip(t.ns(fw), "addr", "add", vip.cidr(), "dev", vip.iface());
        }
    }
}
