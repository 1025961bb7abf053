package io.carpd.core.runtime;

import io.carpd.core.election.NodeEvent;
import io.carpd.core.election.VhKey;
import io.carpd.core.wire.AdvertDecoder;
import io.carpd.core.wire.DropReason;
import io.carpd.core.wire.ReceivedAdvert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns captured frames into election events on the loop thread: one decoder and one holder,
 * reused. Every drop is counted under its reason on the receiving interface; HMAC failures are
 * also logged, rate-limited per VHID.
 */
final class AdvertIntake {

    private static final Logger log = LoggerFactory.getLogger(AdvertIntake.class);

    private final AdvertDecoder decoder = new AdvertDecoder();
    private final ReceivedAdvert received = new ReceivedAdvert();
    private final Map<String, InterfaceVhids> tables;
    private final RuntimeCounters counters;
    private final BadHmacLog badHmac;
    private final LoopScheduler clock;
    private final Consumer<NodeEvent> election;

    /** @param tables each interface's virtual hosts (the daemon's live map) */
    AdvertIntake(Map<String, InterfaceVhids> tables, RuntimeCounters counters, BadHmacLog badHmac,
                 LoopScheduler clock, Consumer<NodeEvent> election) {
        this.tables = tables;
        this.counters = counters;
        this.badHmac = badHmac;
        this.clock = clock;
        this.election = election;
    }

    void onFrame(String iface, byte[] frame, int length) {
        InterfaceVhids table = tables.get(iface);
        if (table == null) {
            counters.drop(iface, "not_ours");
            return;
        }
        DropReason drop = decoder.decode(frame, length, table, received);
        if (drop == null) {
            counters.add(iface, RuntimeCounters.Traffic.ADVERTS_RECEIVED, 1);
            election.accept(new NodeEvent.AdvertReceived(iface, received.family(), received.toAdvertisement()));
            return;
        }
        counters.drop(iface, drop.label());
        if (drop == DropReason.BAD_HMAC) {
            badHmac.badAdvert(new VhKey(iface, received.vhid()), received.sourceAddress().getHostAddress(),
                    clock.nanoTime());
        } else if (log.isDebugEnabled()) {
            log.debug("{}: dropped frame from {}: {}", iface, received.sourceAddress(), drop.label());
        }
    }
}
