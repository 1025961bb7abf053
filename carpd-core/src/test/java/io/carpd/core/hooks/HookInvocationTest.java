package io.carpd.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookInvocationTest {
    private static final Path HOOK = Path.of("/etc/carpd/hooks.d/10-notify");

    @Test
    void vhidTransition() {
        HookEvent e = new HookEvent.VhidTransition(new VhKey("lan", 2),
                List.of(IpPrefix.parse("192.0.2.254/24"), IpPrefix.parse("2001:db8:1::254/64")),
                CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s", 20, Role.MIXED);

        assertThat(HookInvocation.command(HOOK, e)).containsExactly(HOOK.toString(), "vhid", "MASTER");
        assertThat(HookInvocation.environment(e, "fw1")).containsExactly(
                entry("CARPD_EVENT", "vhid"),
                entry("CARPD_NODE", "fw1"),
                entry("CARPD_VHID", "2"),
                entry("CARPD_INTERFACE", "lan"),
                entry("CARPD_VIPS", "192.0.2.254/24 2001:db8:1::254/64"),
                entry("CARPD_OLD_STATE", "BACKUP"),
                entry("CARPD_NEW_STATE", "MASTER"),
                entry("CARPD_REASON", "no advertisement for 3.39 s"),
                entry("CARPD_NODE_ROLE", "MIXED"),
                entry("CARPD_DEMOTION", "20"),
                entry("CARPD_DEMOTION_GROUP", ""));
    }

    @Test
    void nodeRoleLeavesVhidVariablesEmpty() {
        HookEvent e = new HookEvent.NodeRole(Role.BACKUP, Role.MASTER, "preempted");

        assertThat(HookInvocation.command(HOOK, e)).containsExactly(HOOK.toString(), "node", "MASTER");
        assertThat(HookInvocation.environment(e, "fw2")).containsExactly(
                entry("CARPD_EVENT", "node"),
                entry("CARPD_NODE", "fw2"),
                entry("CARPD_VHID", ""),
                entry("CARPD_INTERFACE", ""),
                entry("CARPD_VIPS", ""),
                entry("CARPD_OLD_STATE", "BACKUP"),
                entry("CARPD_NEW_STATE", "MASTER"),
                entry("CARPD_REASON", "preempted"),
                entry("CARPD_NODE_ROLE", "MASTER"),
                entry("CARPD_DEMOTION", ""),
                entry("CARPD_DEMOTION_GROUP", ""));
    }

    @Test
    void demotionCarriesOldAndNewTotalsAndTheGroup() {
        HookEvent e = new HookEvent.DemotionChange("uplink", 0, 240, "link wan down", Role.BACKUP);

        assertThat(HookInvocation.command(HOOK, e)).containsExactly(HOOK.toString(), "demotion", "240");
        assertThat(HookInvocation.environment(e, "fw1")).containsExactly(
                entry("CARPD_EVENT", "demotion"),
                entry("CARPD_NODE", "fw1"),
                entry("CARPD_VHID", ""),
                entry("CARPD_INTERFACE", ""),
                entry("CARPD_VIPS", ""),
                entry("CARPD_OLD_STATE", "0"),
                entry("CARPD_NEW_STATE", "240"),
                entry("CARPD_REASON", "link wan down"),
                entry("CARPD_NODE_ROLE", "BACKUP"),
                entry("CARPD_DEMOTION", "240"),
                entry("CARPD_DEMOTION_GROUP", "uplink"));
    }
}
