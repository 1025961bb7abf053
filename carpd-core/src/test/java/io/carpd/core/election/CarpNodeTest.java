package io.carpd.core.election;

import io.carpd.core.election.CarpNode.VhostSpec;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CarpNodeTest {

    static final long SEC = 1_000_000_000L;
    static final VhKey WAN = new VhKey("wan", 1);
    static final VhKey LAN = new VhKey("lan", 2);
    static final VhKey DMZ = new VhKey("dmz", 3);

    static VhostSpec spec(VhKey key, int advskew, Set<String> groups) {
        return new VhostSpec(key, new VirtualHostConfig(key.vhid(), 1, advskew, true, 3, MasterDownFormula.CLASSIC, true, false, groups));
    }

    /** A node whose three VHIDs all became MASTER at 4 s. */
    static CarpNode masterOfAll() {
        CarpNode node = new CarpNode(List.of(spec(WAN, 0, Set.of()), spec(LAN, 0, Set.of()), spec(DMZ, 0, Set.of("dmz"))), 1);
        node.handle(new NodeEvent.Start(), 0);
        for (VhKey k : List.of(WAN, LAN, DMZ)) node.handle(new NodeEvent.TimerExpired(k), 4 * SEC);
        for (VhKey k : List.of(WAN, LAN, DMZ)) assertThat(node.state(k)).isEqualTo(CarpState.MASTER);
        return node;
    }

    static List<Advertisement> advertsOf(List<NodeAction> out, VhKey key) {
        return out.stream().filter(a -> a instanceof NodeAction.Host h && h.key().equals(key) && h.action() instanceof VhAction.SendAdvert)
                .map(a -> ((VhAction.SendAdvert) ((NodeAction.Host) a).action()).advert()).toList();
    }

    @Test
    void startPutsEveryHostInSilentBackup() {
        CarpNode node = new CarpNode(List.of(spec(WAN, 0, Set.of()), spec(LAN, 0, Set.of())), 1);
        List<NodeAction> out = node.handle(new NodeEvent.Start(), 0);
        assertThat(out).filteredOn(a -> a instanceof NodeAction.Host h && h.action() instanceof VhAction.Transition).hasSize(2);
        assertThat(advertsOf(out, WAN)).isEmpty();
        assertThat(node.state(WAN)).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void linkDownPutsItsVhidsInInitAndDemotesAllOthers() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.handle(new NodeEvent.LinkChanged("wan", false), 5 * SEC);
        assertThat(node.state(WAN)).isEqualTo(CarpState.INIT);
        assertThat(out).contains(
                new NodeAction.Host(WAN, new VhAction.Transition(CarpState.MASTER, CarpState.INIT, "link down")),
                new NodeAction.Host(WAN, new VhAction.ReleaseAddresses()),
                new NodeAction.DemotionChanged("carp", 240, "link:wan set to 240"));
        assertThat(advertsOf(out, WAN)).as("no bow-out on a dead link").isEmpty();
        for (VhKey k : List.of(LAN, DMZ)) {
            assertThat(advertsOf(out, k)).singleElement()
                    .extracting(Advertisement::advskew, Advertisement::demote).containsExactly(240, 240);
        }
        assertThat(node.demotion()).containsEntry("carp", java.util.Map.of("link:wan", 240));
    }

    @Test
    void demotedNodeLosesEveryVhidToAnUndemotedPeer() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.LinkChanged("wan", false), 5 * SEC);
        // The peer took over after our demoted adverts and now advertises undemoted with a worse skew.
        for (VhKey k : List.of(LAN, DMZ)) {
            node.handle(new NodeEvent.AdvertReceived(k.iface(), Family.INET, new Advertisement(k.vhid(), 1, 100, 0, 9)), 5 * SEC + 1);
            assertThat(node.state(k)).isEqualTo(CarpState.BACKUP);
        }
    }

    @Test
    void linkUpClearsDemotionAndReturnsToSilentBackup() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.LinkChanged("wan", false), 5 * SEC);
        List<NodeAction> out = node.handle(new NodeEvent.LinkChanged("wan", true), 6 * SEC);
        assertThat(node.state(WAN)).isEqualTo(CarpState.BACKUP);
        assertThat(advertsOf(out, WAN)).isEmpty();
        assertThat(out).contains(new NodeAction.DemotionChanged("carp", 0, "link:wan cleared (was 240)"));
        assertThat(advertsOf(out, LAN)).singleElement().extracting(Advertisement::demote).isEqualTo(0);
        assertThat(node.demotion()).isEmpty();
    }

    @Test
    void repeatedLinkStateIsNotAChange() {
        CarpNode node = masterOfAll();
        assertThat(node.handle(new NodeEvent.LinkChanged("wan", true), 5 * SEC)).isEmpty();
        node.handle(new NodeEvent.LinkChanged("wan", false), 5 * SEC);
        assertThat(node.handle(new NodeEvent.LinkChanged("wan", false), 6 * SEC)).isEmpty();
    }

    @Test
    void linkWithoutVhidsDoesNotDemote() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.LinkChanged("mgmt", false), 5 * SEC);
        assertThat(node.demotion()).isEmpty();
    }

    @Test
    void groupDemotionOnlyReachesMembers() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.handle(new NodeEvent.SetDemotion("dmz", "operator", 50), 5 * SEC);
        assertThat(out.getFirst()).isEqualTo(new NodeAction.DemotionChanged("dmz", 50, "operator set to 50"));
        assertThat(advertsOf(out, DMZ)).singleElement().extracting(Advertisement::demote).isEqualTo(50);
        assertThat(advertsOf(out, WAN)).isEmpty();
        assertThat(node.host(DMZ).demotion()).isEqualTo(50);
        assertThat(node.host(LAN).demotion()).isZero();
    }

    @Test
    void maintenanceDemotesEveryVhidWithImmediateAdverts() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.handle(new NodeEvent.SetDemotion("carp", Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE), 5 * SEC);
        for (VhKey k : List.of(WAN, LAN, DMZ)) {
            assertThat(advertsOf(out, k)).singleElement().extracting(Advertisement::advskew, Advertisement::demote).containsExactly(240, 240);
        }
    }

    @Test
    void invalidDemotionIsRejectedWithoutSideEffects() {
        CarpNode node = masterOfAll();
        assertThatThrownBy(() -> node.handle(new NodeEvent.SetDemotion("carp", "operator", 300), 5 * SEC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300");
        assertThat(node.demotion()).isEmpty();
    }

    @Test
    void disableReleasesEverythingAndEnableReturnsToBackup() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.handle(new NodeEvent.SetDisabled(true), 5 * SEC);
        assertThat(out).filteredOn(a -> a instanceof NodeAction.Host h && h.action() instanceof VhAction.ReleaseAddresses).hasSize(3);
        for (VhKey k : List.of(WAN, LAN, DMZ)) assertThat(node.state(k)).isEqualTo(CarpState.INIT);
        node.handle(new NodeEvent.SetDisabled(false), 6 * SEC);
        for (VhKey k : List.of(WAN, LAN, DMZ)) assertThat(node.state(k)).isEqualTo(CarpState.BACKUP);
    }

    @Test
    void stopBowsOutFromEveryMaster() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.handle(new NodeEvent.Stop(), 5 * SEC);
        for (VhKey k : List.of(WAN, LAN, DMZ)) {
            assertThat(advertsOf(out, k)).singleElement().matches(Advertisement::isBowOut);
            assertThat(node.state(k)).isEqualTo(CarpState.INIT);
        }
    }

    @Test
    void advertForUnknownVhidIsIgnored() {
        CarpNode node = masterOfAll();
        assertThat(node.handle(new NodeEvent.AdvertReceived("wan", Family.INET, new Advertisement(9, 0, 0, 0, 0)), 5 * SEC)).isEmpty();
    }

    @Test
    void addedHostInheritsLinkDemotionAndStartedState() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.SetDemotion("carp", "operator", 20), 5 * SEC);
        VhKey extra = new VhKey("lan", 4);
        List<NodeAction> out = node.addHost(spec(extra, 0, Set.of()), 6 * SEC);
        assertThat(node.state(extra)).isEqualTo(CarpState.BACKUP);
        assertThat(node.host(extra).demotion()).isEqualTo(20);
        assertThat(advertsOf(out, extra)).isEmpty();
        assertThatThrownBy(() -> node.addHost(spec(extra, 0, Set.of()), 6 * SEC)).hasMessageContaining("already configured");
    }

    @Test
    void addingFirstHostOnDeadLinkRaisesLinkDemotion() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.LinkChanged("mgmt", false), 5 * SEC);
        List<NodeAction> out = node.addHost(spec(new VhKey("mgmt", 9), 0, Set.of()), 6 * SEC);
        assertThat(node.state(new VhKey("mgmt", 9))).isEqualTo(CarpState.INIT);
        assertThat(out).contains(new NodeAction.DemotionChanged("carp", 240, "link:mgmt set to 240"));
    }

    @Test
    void updatedHostJoiningADemotedGroupAdvertisesTheDemotion() {
        CarpNode node = masterOfAll();
        node.handle(new NodeEvent.SetDemotion("dmz", "operator", 50), 5 * SEC);
        List<NodeAction> out = node.updateHost(spec(LAN, 10, Set.of("dmz")), 6 * SEC);
        assertThat(node.state(LAN)).isEqualTo(CarpState.MASTER);
        assertThat(advertsOf(out, LAN)).last().extracting(Advertisement::advskew, Advertisement::demote).containsExactly(60, 50);
    }

    @Test
    void removingMasterBowsOutAndDropsItsLinkDemotion() {
        CarpNode node = masterOfAll();
        List<NodeAction> out = node.removeHost(LAN, 5 * SEC);
        assertThat(advertsOf(out, LAN)).singleElement().matches(Advertisement::isBowOut);
        assertThat(out).contains(new NodeAction.Host(LAN, new VhAction.ReleaseAddresses()));
        assertThat(node.hosts()).doesNotContainKey(LAN);
        assertThatThrownBy(() -> node.state(LAN)).hasMessageContaining("vhid 2 on lan");
    }

    @Test
    void specWithMismatchedVhidIsRejected() {
        VirtualHostConfig cfg = spec(LAN, 0, Set.of()).cfg();
        assertThatThrownBy(() -> new VhostSpec(new VhKey("lan", 3), cfg)).hasMessageContaining("config is for vhid 2");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> new CarpNode(List.of(spec(LAN, 0, Set.of()), spec(LAN, 10, Set.of())), 1))
                .hasMessageContaining("configured twice");
    }
}
