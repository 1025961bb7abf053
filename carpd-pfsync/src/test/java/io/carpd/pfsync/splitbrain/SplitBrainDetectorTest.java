package io.carpd.pfsync.splitbrain;

import static io.carpd.core.election.CarpState.BACKUP;
import static io.carpd.core.election.CarpState.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.election.CarpState;
import io.carpd.pfsync.wire.VhidState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitBrainDetectorTest {
    private static final long S = 1_000_000_000L;
    private final SplitBrainDetector d = new SplitBrainDetector();

    private static OwnVhid own(int vhid, CarpState state, int advbase, int advskew) {
        return new OwnVhid("lan", vhid, state, OwnVhid.advertInterval(advbase, advskew));
    }

    private static VhidState peer(int vhid, CarpState state) {
        return new VhidState("lan", vhid, state);
    }

    @Test
    void bothMasterLongerThanTheAdvertIntervalIsReportedOnceAndItsEndOnce() {
        List<OwnVhid> own = List.of(own(2, MASTER, 2, 128)); // interval 2.5 s
        assertThat(d.update(own, List.of(peer(2, MASTER)), 0)).isEmpty();
        assertThat(d.update(own, List.of(peer(2, MASTER)), 2_400_000_000L)).as("within one interval").isEmpty();
        assertThat(d.update(own, List.of(peer(2, MASTER)), 2_600_000_000L))
                .containsExactly(new SplitBrainChange.Started(new SplitBrain("lan", 2, 0)));
        assertThat(d.update(own, List.of(peer(2, MASTER)), 5 * S)).as("reported once").isEmpty();
        assertThat(d.active()).containsExactly(new SplitBrain("lan", 2, 0));
        assertThat(d.total()).isEqualTo(1);

        assertThat(d.update(own, List.of(peer(2, BACKUP)), 6 * S))
                .containsExactly(new SplitBrainChange.Ended(new SplitBrain("lan", 2, 0), 6 * S));
        assertThat(d.active()).isEmpty();
        assertThat(d.update(own, List.of(peer(2, BACKUP)), 7 * S)).isEmpty();
    }

    @Test
    void graceIsAtLeastOneSecondForFastAdverts() {
        List<OwnVhid> own = List.of(own(1, MASTER, 0, 64)); // interval 0.25 s
        d.update(own, List.of(peer(1, MASTER)), 0);
        assertThat(d.update(own, List.of(peer(1, MASTER)), 900_000_000L)).isEmpty();
        assertThat(d.update(own, List.of(peer(1, MASTER)), 1_100_000_000L)).hasSize(1);
    }

    @Test
    void aTakeoverShorterThanTheIntervalIsNoSplitBrainAndRestartsTheClock() {
        List<OwnVhid> own = List.of(own(2, MASTER, 1, 0));
        d.update(own, List.of(peer(2, MASTER)), 0);
        d.update(own, List.of(peer(2, BACKUP)), 500_000_000L);
        d.update(own, List.of(peer(2, MASTER)), 900_000_000L);
        assertThat(d.update(own, List.of(peer(2, MASTER)), 1_500_000_000L)).as("only 0.6 s since both master again").isEmpty();
        assertThat(d.total()).isZero();
    }

    @Test
    void onlyTheVhidBothClaimIsReportedMatchedByInterfaceAndVhid() {
        List<OwnVhid> own = List.of(own(1, MASTER, 1, 0), own(2, MASTER, 1, 0), new OwnVhid("wan", 2, MASTER, S));
        List<VhidState> peer = List.of(peer(1, BACKUP), peer(2, MASTER), new VhidState("dmz", 2, MASTER));
        d.update(own, peer, 0);
        assertThat(d.update(own, peer, 2 * S)).extracting(c -> c.splitBrain().iface() + "/" + c.splitBrain().vhid())
                .containsExactly("lan/2");
    }

    @Test
    void losingThePeersViewEndsTheSplitBrain() {
        List<OwnVhid> own = List.of(own(2, MASTER, 1, 0));
        d.update(own, List.of(peer(2, MASTER)), 0);
        d.update(own, List.of(peer(2, MASTER)), 2 * S);
        assertThat(d.update(own, List.of(), 3 * S)).singleElement().isInstanceOf(SplitBrainChange.Ended.class);
    }

    @Test
    void weTurningBackupEndsIt() {
        d.update(List.of(own(2, MASTER, 1, 0)), List.of(peer(2, MASTER)), 0);
        d.update(List.of(own(2, MASTER, 1, 0)), List.of(peer(2, MASTER)), 2 * S);
        assertThat(d.update(List.of(own(2, BACKUP, 1, 0)), List.of(peer(2, MASTER)), 3 * S))
                .singleElement().isInstanceOf(SplitBrainChange.Ended.class);
    }
}
