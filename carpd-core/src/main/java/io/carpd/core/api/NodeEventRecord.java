package io.carpd.core.api;

import java.time.Instant;

/**
 * One entry of the daemon's event journal (what {@code carpd events} shows).
 *
 * @param seq     increasing sequence number (gaps mean events were dropped from the retained window)
 * @param at      wall-clock time
 * @param kind    snake_case category: "transition", "demotion", "maintenance", "disable", "enable",
 *                "reload", "link", "start", "stop", ...
 * @param iface   interface concerned, or null for node-wide events
 * @param vhid    VHID concerned, or 0 for events not tied to one VHID
 * @param message human text, e.g. "vhid 2 on lan: BACKUP -> MASTER (no advertisement for 3.39 s)"
 */
public record NodeEventRecord(long seq, Instant at, String kind, String iface, int vhid, String message) {}
