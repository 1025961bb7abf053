package io.carpd.core.election;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemotionTest {

    @Test
    void vhidDemotionSumsCarpAndItsGroups() {
        Demotion d = new Demotion();
        d.set("carp", "sync", 32);
        d.set("uplink", "operator", 10);
        d.set("dmz", "operator", 100);
        assertThat(d.effective(Set.of())).isEqualTo(32);
        assertThat(d.effective(Set.of("uplink"))).isEqualTo(42);
        assertThat(d.effective(Set.of("uplink", "dmz"))).isEqualTo(142);
    }

    @Test
    void carpGroupListedExplicitlyCountsOnce() {
        Demotion d = new Demotion();
        d.set("carp", "sync", 32);
        assertThat(d.effective(Set.of("carp"))).isEqualTo(32);
    }

    @Test
    void sumsAreCappedAt255() {
        Demotion d = new Demotion();
        d.set("carp", Demotion.linkSource("wan"), Demotion.LINK_DOWN);
        d.set("carp", Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE);
        assertThat(d.total("carp")).isEqualTo(255);
        d.set("uplink", "operator", 200);
        assertThat(d.effective(Set.of("uplink"))).isEqualTo(255);
    }

    @Test
    void sourcesAreIndependentAndZeroClears() {
        Demotion d = new Demotion();
        assertThat(d.set("carp", "maintenance", 240)).isTrue();
        assertThat(d.set("carp", "sync", 32)).isTrue();
        assertThat(d.set("carp", "maintenance", 0)).isTrue();
        assertThat(d.total("carp")).isEqualTo(32);
        assertThat(d.set("carp", "maintenance", 0)).isFalse();
        assertThat(d.snapshot()).isEqualTo(Map.of("carp", Map.of("sync", 32)));
    }

    @Test
    void changeHiddenByTheCapIsNotAChange() {
        Demotion d = new Demotion();
        d.set("carp", "a", 255);
        assertThat(d.set("carp", "b", 10)).isFalse();
        assertThat(d.get("carp", "b")).isEqualTo(10);
    }

    @Test
    void snapshotIsImmutableCopy() {
        Demotion d = new Demotion();
        d.set("carp", "a", 1);
        Map<String, Map<String, Integer>> snap = d.snapshot();
        d.set("carp", "a", 2);
        assertThat(snap.get("carp").get("a")).isEqualTo(1);
        assertThatThrownBy(() -> snap.get("carp").put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        Demotion d = new Demotion();
        assertThatThrownBy(() -> d.set("carp", "operator", 256)).hasMessage("demotion carp/operator: 256 is out of range 0..255");
        assertThatThrownBy(() -> d.set("carp", "operator", -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> d.set(" ", "operator", 1)).hasMessageContaining("group");
        assertThatThrownBy(() -> d.set("carp", "", 1)).hasMessageContaining("source");
    }
}
