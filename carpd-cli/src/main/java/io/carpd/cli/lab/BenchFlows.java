package io.carpd.cli.lab;

import io.carpd.pfsync.conntrack.Tuple;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The UDP flows of one sync-bench step, client to server, each its own 5-tuple: flow {@code i}
 * goes from source port {@code sourceBase + i / PER_SOURCE} to destination port
 * {@code DST_BASE + i % PER_SOURCE}. Each step gets its own source ports, so a late event of an
 * earlier step is never mistaken for one of this step.
 *
 * @param sourceBase first source port of the step
 * @param count      number of flows
 */
public record BenchFlows(int sourceBase, int count) {

    /** Destination ports per source port. */
    public static final int PER_SOURCE = 50_000;
    public static final int DST_BASE = 10_000;
    /** Source ports reserved per step: up to {@code 4 × PER_SOURCE} flows. */
    static final int SOURCES_PER_STEP = 4;
    public static final int MAX_FLOWS = SOURCES_PER_STEP * PER_SOURCE;
    private static final int FIRST_SOURCE = 20_000;
    private static final InetAddress CLIENT = address(Topology.clientAddress());
    private static final InetAddress SERVER = address(Topology.serverAddress());

    public BenchFlows {
        if (count < 1 || count > MAX_FLOWS) {
            throw new IllegalArgumentException("flows per step must be 1.." + MAX_FLOWS + ", not " + count);
        }
    }

    /** The flows of step {@code step} (0-based). */
    public static BenchFlows forStep(int step, int count) {
        return new BenchFlows(FIRST_SOURCE + step * SOURCES_PER_STEP, count);
    }

    public int sources() {
        return (count + PER_SOURCE - 1) / PER_SOURCE;
    }

    public int sourcePort(int flow) {
        return sourceBase + flow / PER_SOURCE;
    }

    public static int destinationPort(int flow) {
        return DST_BASE + flow % PER_SOURCE;
    }

    /** The flow number of a connection's original tuple, or -1 when it is not one of these flows. */
    public int indexOf(Tuple original) {
        if (original.protocol() != Tuple.UDP || !original.src().equals(CLIENT) || !original.dst().equals(SERVER)) {
            return -1;
        }
        int source = original.srcPort() - sourceBase;
        int dst = original.dstPort() - DST_BASE;
        if (source < 0 || source >= SOURCES_PER_STEP || dst < 0 || dst >= PER_SOURCE) {
            return -1;
        }
        int i = source * PER_SOURCE + dst;
        return i < count ? i : -1;
    }

    /** Whether a connection is bench traffic of any step (what the flush between steps removes). */
    public static boolean isBenchTraffic(Tuple original) {
        return original.protocol() == Tuple.UDP && original.src().equals(CLIENT) && original.dst().equals(SERVER);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }
}
