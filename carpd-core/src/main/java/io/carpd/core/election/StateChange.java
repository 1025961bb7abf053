package io.carpd.core.election;

/** One state transition of a virtual host, kept for status output ("MASTER since …, because …"). */
public record StateChange(CarpState from, CarpState to, String reason, long atNanos) {}
