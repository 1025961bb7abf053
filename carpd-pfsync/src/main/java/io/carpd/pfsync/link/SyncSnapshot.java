package io.carpd.pfsync.link;

import io.carpd.pfsync.engine.PeerStatus;
import io.carpd.pfsync.wire.FrameDrop;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything about a running {@link StateSync} at one instant, taken on its event loop.
 *
 * @param status          the engine's view of the peer
 * @param protocolVersion negotiated on the current connection, 0 when there is none
 * @param drops           inbound frames rejected, every reason present
 * @param counters        cumulative counts by snake_case name
 */
public record SyncSnapshot(PeerStatus status, int protocolVersion, long framesSent, long bytesSent,
                           long framesReceived, long bytesReceived, Map<FrameDrop, Long> drops,
                           Map<String, Long> counters) {
    public SyncSnapshot {
        EnumMap<FrameDrop, Long> all = new EnumMap<>(FrameDrop.class);
        for (FrameDrop d : FrameDrop.values()) {
            all.put(d, drops.getOrDefault(d, 0L));
        }
        drops = Collections.unmodifiableMap(all);
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }
}
