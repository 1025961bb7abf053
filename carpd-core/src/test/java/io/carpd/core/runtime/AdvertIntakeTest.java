package io.carpd.core.runtime;

import io.carpd.core.election.NodeEvent;
import io.carpd.core.wire.AdvertEncoder;
import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.CarpAuth;
import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdvertIntakeTest {

    private static final byte[] PEER_MAC = {0x02, 0, 0, 0, 0, 0x02};
    private static final InetAddress PEER = InetAddress.ofLiteral("192.0.2.2");
    private static final List<InetAddress> VIPS = List.of(InetAddress.ofLiteral("192.0.2.254"));

    private final ManualScheduler clock = new ManualScheduler();
    private final RuntimeCounters counters = new RuntimeCounters();
    private final List<NodeEvent> events = new ArrayList<>();
    private final Map<String, InterfaceVhids> tables = new HashMap<>();
    private final AdvertIntake intake = new AdvertIntake(tables, counters, new BadHmacLog(10_000_000_000L), clock,
            events::add);

    AdvertIntakeTest() {
        InterfaceVhids lan = new InterfaceVhids();
        lan.put(2, auth("secret", 2), null);
        tables.put("lan", lan);
    }

    private static CarpAuth auth(String password, int vhid) {
        return CarpAuth.of(password.getBytes(StandardCharsets.UTF_8), vhid, VIPS);
    }

    private static byte[] advert(String password, int vhid) {
        byte[] frame = new byte[AdvertEncoder.FRAME_LENGTH_INET];
        new AdvertEncoder(() -> 0).encode(frame, new Advertisement(vhid, 1, 100, 0, 42L), auth(password, vhid),
                Family.INET, PEER_MAC, AdvertEncoder.multicastMac(Family.INET), PEER, AdvertEncoder.group(Family.INET));
        return frame;
    }

    @Test
    void validAdvertBecomesAnElectionEventAndIsCounted() {
        byte[] frame = advert("secret", 2);
        intake.onFrame("lan", frame, frame.length);

        assertThat(events).containsExactly(
                new NodeEvent.AdvertReceived("lan", Family.INET, new Advertisement(2, 1, 100, 0, 42L)));
        assertThat(counters.count("lan", RuntimeCounters.Traffic.ADVERTS_RECEIVED)).isEqualTo(1);
    }

    @Test
    void everyDropIsCountedUnderItsReasonOnTheReceivingInterface() {
        byte[] wrongPassword = advert("other", 2);
        byte[] unknownVhid = advert("secret", 7);
        byte[] truncated = advert("secret", 2);
        intake.onFrame("lan", wrongPassword, wrongPassword.length);
        intake.onFrame("lan", wrongPassword, wrongPassword.length);
        intake.onFrame("lan", unknownVhid, unknownVhid.length);
        intake.onFrame("lan", truncated, 30);
        intake.onFrame("wan", truncated, truncated.length);

        assertThat(events).isEmpty();
        assertThat(counters.drops("lan", "bad_hmac")).isEqualTo(2);
        assertThat(counters.drops("lan", "unknown_vhid")).isEqualTo(1);
        assertThat(counters.drops("lan", "truncated_ip_header")).isEqualTo(1);
        assertThat(counters.drops("wan", "not_ours")).isEqualTo(1);
    }
}
