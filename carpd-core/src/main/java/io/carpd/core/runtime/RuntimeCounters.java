package io.carpd.core.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet and action counters per interface, for status and metrics. Written on the event loop,
 * readable from any thread. Drops are keyed by the decoder's drop-reason label (snake_case), plus
 * runtime drops such as {@code not_ours} (a frame on an interface with no VHID).
 */
public final class RuntimeCounters {

    /** What the runtime counts besides drops. */
    public enum Traffic {
        ADVERTS_RECEIVED,
        ADVERTS_SENT,
        ADVERT_SEND_ERRORS,
        /** A unicast peer's MAC was unknown: the advert to it was skipped and resolution triggered. */
        PEER_UNRESOLVED,
        ANNOUNCEMENTS_SENT,
        ANNOUNCE_ERRORS,
        ADDRESS_ERRORS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One interface's counters at one moment. */
    public record InterfaceCounters(Map<String, Long> drops, Map<String, Long> traffic) {}

    private final Map<String, Map<String, LongAdder>> drops = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> traffic = new ConcurrentHashMap<>();

    public void drop(String iface, String reasonLabel) {
        adder(drops, iface, reasonLabel).increment();
    }

    public void increment(String iface, Traffic what) {
        adder(traffic, iface, what.label()).increment();
    }

    public long drops(String iface, String reasonLabel) {
        return value(drops, iface, reasonLabel);
    }

    public long count(String iface, Traffic what) {
        return value(traffic, iface, what.label());
    }

    /** Every interface's counters, sorted by interface and label. */
    public Map<String, InterfaceCounters> snapshot() {
        Map<String, InterfaceCounters> out = new TreeMap<>();
        var ifaces = new TreeSet<String>(drops.keySet());
        ifaces.addAll(traffic.keySet());
        for (String iface : ifaces) {
            out.put(iface, new InterfaceCounters(freeze(drops.get(iface)), freeze(traffic.get(iface))));
        }
        return out;
    }

    private static LongAdder adder(Map<String, Map<String, LongAdder>> table, String iface, String label) {
        return table.computeIfAbsent(iface, k -> new ConcurrentHashMap<>()).computeIfAbsent(label, k -> new LongAdder());
    }

    private static long value(Map<String, Map<String, LongAdder>> table, String iface, String label) {
        var row = table.get(iface);
        LongAdder a = row == null ? null : row.get(label);
        return a == null ? 0 : a.sum();
    }

    private static Map<String, Long> freeze(Map<String, LongAdder> row) {
        Map<String, Long> out = new TreeMap<>();
        if (row != null) row.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
