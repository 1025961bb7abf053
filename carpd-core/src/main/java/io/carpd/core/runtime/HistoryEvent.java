package io.carpd.core.runtime;

import java.time.Instant;

/**
 * One entry of the event journal ({@code carpd events}); same shape as the control API's record.
 *
 * @param seq     increasing sequence number, assigned by {@link EventHistory}
 * @param at      wall-clock time (for humans; the protocol itself only uses monotonic time)
 * @param kind    snake_case category: "transition", "demotion", "maintenance", "disable", "enable", "start", "stop"
 * @param iface   interface concerned, or null for node-wide events
 * @param vhid    VHID concerned, or 0
 * @param message the line also written to the log
 */
public record HistoryEvent(long seq, Instant at, String kind, String iface, int vhid, String message) {}
