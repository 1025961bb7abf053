package io.carpd.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRoleTrackerTest {
    private static final VhKey WAN = new VhKey("wan", 1);
    private static final VhKey LAN = new VhKey("lan", 2);
    private static final List<IpPrefix> WAN_VIPS = List.of(IpPrefix.parse("203.0.113.4/28"));

    private final NodeRoleTracker tracker = new NodeRoleTracker(List.of(WAN, LAN));

    @Test
    void startsInInitAndDerivesTheRoleFromAllVhids() {
        assertThat(tracker.role()).isEqualTo(Role.INIT);

        assertThat(step(WAN, CarpState.INIT, CarpState.BACKUP)).containsExactly(
                new HookEvent.VhidTransition(WAN, WAN_VIPS, CarpState.INIT, CarpState.BACKUP, "why", 0, Role.MIXED),
                new HookEvent.NodeRole(Role.INIT, Role.MIXED, "why"));
        assertThat(roleChanges(step(LAN, CarpState.INIT, CarpState.BACKUP))).containsExactly(
                new HookEvent.NodeRole(Role.MIXED, Role.BACKUP, "why"));
        assertThat(roleChanges(step(WAN, CarpState.BACKUP, CarpState.MASTER))).containsExactly(
                new HookEvent.NodeRole(Role.BACKUP, Role.MIXED, "why"));
        assertThat(roleChanges(step(LAN, CarpState.BACKUP, CarpState.MASTER))).containsExactly(
                new HookEvent.NodeRole(Role.MIXED, Role.MASTER, "why"));
        assertThat(tracker.role()).isEqualTo(Role.MASTER);
    }

    @Test
    void noRoleEventWhileTheRoleStaysTheSame() {
        step(WAN, CarpState.INIT, CarpState.MASTER);
        List<HookEvent> events = step(WAN, CarpState.MASTER, CarpState.BACKUP);

        assertThat(events).hasSize(1);
        assertThat(((HookEvent.VhidTransition) events.getFirst()).nodeRole()).isEqualTo(Role.MIXED);
    }

    @Test
    void removingTheOddVhidOutChangesTheRole() {
        step(WAN, CarpState.INIT, CarpState.MASTER);
        assertThat(tracker.role()).isEqualTo(Role.MIXED);

        assertThat(tracker.removed(LAN, "reload")).containsExactly(new HookEvent.NodeRole(Role.MIXED, Role.MASTER, "reload"));
        assertThat(tracker.removed(LAN, "reload")).isEmpty();
        assertThat(tracker.removed(WAN, "reload")).containsExactly(new HookEvent.NodeRole(Role.MASTER, Role.INIT, "reload"));
    }

    @Test
    void aVhidAddedByReloadStartsInInit() {
        step(WAN, CarpState.INIT, CarpState.MASTER);
        step(LAN, CarpState.INIT, CarpState.MASTER);
        VhKey dmz = new VhKey("dmz", 3);

        assertThat(tracker.added(dmz, "reload")).containsExactly(new HookEvent.NodeRole(Role.MASTER, Role.MIXED, "reload"));
        assertThat(tracker.added(dmz, "reload")).isEmpty();
        assertThat(roleChanges(tracker.transition(dmz, List.of(), 0, new VhAction.Transition(CarpState.INIT, CarpState.MASTER, "up"))))
                .containsExactly(new HookEvent.NodeRole(Role.MIXED, Role.MASTER, "up"));
    }

    @Test
    void aVhidNotSeenBeforeIsAdded() {
        NodeRoleTracker empty = new NodeRoleTracker(List.of());
        assertThat(empty.role()).isEqualTo(Role.INIT);

        List<HookEvent> events = empty.transition(WAN, WAN_VIPS, 0, new VhAction.Transition(CarpState.INIT, CarpState.BACKUP, "start"));
        assertThat(roleChanges(events)).containsExactly(new HookEvent.NodeRole(Role.INIT, Role.BACKUP, "start"));
    }

    @Test
    void demotionEventsNameThePreviousTotalOfTheirGroupAndTheCurrentRole() {
        step(WAN, CarpState.INIT, CarpState.BACKUP);

        assertThat(tracker.demotion(new NodeAction.DemotionChanged("carp", 240, "link down")))
                .isEqualTo(new HookEvent.DemotionChange("carp", 0, 240, "link down", Role.MIXED));
        assertThat(tracker.demotion(new NodeAction.DemotionChanged("uplink", 10, "operator")))
                .isEqualTo(new HookEvent.DemotionChange("uplink", 0, 10, "operator", Role.MIXED));
        assertThat(tracker.demotion(new NodeAction.DemotionChanged("carp", 0, "link up")))
                .isEqualTo(new HookEvent.DemotionChange("carp", 240, 0, "link up", Role.MIXED));
    }

    private List<HookEvent> step(VhKey key, CarpState from, CarpState to) {
        return tracker.transition(key, key == WAN ? WAN_VIPS : List.of(), 0, new VhAction.Transition(from, to, "why"));
    }

    private static List<HookEvent> roleChanges(List<HookEvent> events) {
        return events.stream().filter(e -> e instanceof HookEvent.NodeRole).toList();
    }
}
