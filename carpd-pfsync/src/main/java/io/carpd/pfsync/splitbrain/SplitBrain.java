package io.carpd.pfsync.splitbrain;

/** A VHID both nodes have claimed as MASTER since {@code sinceNanos} (monotonic). */
public record SplitBrain(String iface, int vhid, long sinceNanos) {}
