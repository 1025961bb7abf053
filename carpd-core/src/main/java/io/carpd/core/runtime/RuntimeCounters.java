package io.carpd.core.runtime;

import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative protocol counters per interface and transition counts per VHID, for status and
 * metrics. Written on the event loop, readable from any thread. Drops are keyed by the decoder's
 * drop-reason label (snake_case) plus the runtime's own: {@code send_error}, {@code peer_unresolved},
 * {@code address_error}, {@code announce_error}, {@code capture_error}.
 */
public final class RuntimeCounters {

    /** What the runtime counts besides drops. */
    public enum Traffic {
        ADVERTS_SENT,
        ADVERTS_RECEIVED,
        GARP_SENT,
        NA_SENT
    }

    /** One interface's counters at one moment; drops sorted by label. */
    public record InterfaceCounters(long advertsSent, long advertsReceived, Map<String, Long> drops,
                                    long garpSent, long naSent) {}

    /** How often a VHID entered {@code to} for one reason category (see {@link TransitionCause}). */
    public record TransitionCount(String iface, int vhid, CarpState to, String reason, long count) {}

    private record TransitionKey(VhKey key, CarpState to, String reason) {}

    private final Map<String, Map<String, LongAdder>> drops = new ConcurrentHashMap<>();
    private final Map<String, Map<Traffic, LongAdder>> traffic = new ConcurrentHashMap<>();
    private final Map<TransitionKey, LongAdder> transitions = new ConcurrentHashMap<>();

    public void drop(String iface, String reasonLabel) {
        drops.computeIfAbsent(iface, k -> new ConcurrentHashMap<>()).computeIfAbsent(reasonLabel, k -> new LongAdder())
                .increment();
    }

    public void add(String iface, Traffic what, long n) {
        traffic.computeIfAbsent(iface, k -> new ConcurrentHashMap<>()).computeIfAbsent(what, k -> new LongAdder()).add(n);
    }

    public void transition(VhKey key, CarpState to, String reasonCategory) {
        transitions.computeIfAbsent(new TransitionKey(key, to, reasonCategory), k -> new LongAdder()).increment();
    }

    public long drops(String iface, String reasonLabel) {
        var row = drops.get(iface);
        LongAdder a = row == null ? null : row.get(reasonLabel);
        return a == null ? 0 : a.sum();
    }

    public long count(String iface, Traffic what) {
        var row = traffic.get(iface);
        LongAdder a = row == null ? null : row.get(what);
        return a == null ? 0 : a.sum();
    }

    /** Every interface's counters, sorted by interface name. */
    public Map<String, InterfaceCounters> interfaces() {
        Map<String, InterfaceCounters> out = new TreeMap<>();
        var ifaces = new TreeSet<String>(drops.keySet());
        ifaces.addAll(traffic.keySet());
        for (String iface : ifaces) {
            Map<String, Long> d = new TreeMap<>();
            var row = drops.get(iface);
            if (row != null) row.forEach((k, v) -> d.put(k, v.sum()));
            out.put(iface, new InterfaceCounters(count(iface, Traffic.ADVERTS_SENT), count(iface, Traffic.ADVERTS_RECEIVED),
                    d, count(iface, Traffic.GARP_SENT), count(iface, Traffic.NA_SENT)));
        }
        return out;
    }

    /** Every transition count so far. */
    public List<TransitionCount> transitions() {
        List<TransitionCount> out = new ArrayList<>();
        transitions.forEach((k, v) -> out.add(new TransitionCount(k.key().iface(), k.key().vhid(), k.to(), k.reason(), v.sum())));
        return out;
    }
}
