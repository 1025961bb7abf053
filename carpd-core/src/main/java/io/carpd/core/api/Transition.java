package io.carpd.core.api;

import io.carpd.core.election.CarpState;
import java.time.Instant;

/**
 * One state change of a VHID.
 *
 * @param iface  interface of the VHID
 * @param vhid   the VHID
 * @param from   previous state
 * @param to     new state
 * @param reason human text from the election, e.g. "no advertisement for 3.39 s"
 * @param at     wall-clock time it happened
 */
public record Transition(String iface, int vhid, CarpState from, CarpState to, String reason, Instant at) {}
