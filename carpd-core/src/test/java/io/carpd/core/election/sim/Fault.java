package io.carpd.core.election.sim;

/** Things that happen to the simulated network and nodes at scripted times. */
sealed interface Fault {
    record SetLoss(double rate) implements Fault {}
    /** Extra loss for one family only, like IPv6 multicast broken by MLD snooping (spec §7.3). */
    record FamilyLoss(io.carpd.core.wire.Family family, double rate) implements Fault {}
    record Partition(String segment, int[] sideOfNode) implements Fault {}
    record Heal(String segment) implements Fault {}
    record Crash(int node) implements Fault {}
    record Restart(int node) implements Fault {}
    record Link(int node, String segment, boolean up) implements Fault {}
    record Demote(int node, String group, String source, int value) implements Fault {}
    record Disable(int node, boolean disabled) implements Fault {}
    record Stop(int node) implements Fault {}
    /** A reload that changes one node's advskew for one VHID (restored at the heal). */
    record Reconfigure(int node, int vhidIndex, int advskew) implements Fault {}
    record Start(int node) implements Fault {}

    /** A fault at a simulated time (ns since the simulation began). */
    record Timed(long at, Fault fault) {}
}
