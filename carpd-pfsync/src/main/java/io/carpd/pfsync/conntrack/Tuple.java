package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One direction of a connection as conntrack names it. Port protocols (TCP, UDP, SCTP, DCCP,
 * UDP-Lite) use the ports; ICMP and ICMPv6 use type, code and identifier; other protocols use
 * neither (they stay 0), so two tuples are equal exactly when conntrack would consider them equal.
 */
public record Tuple(InetAddress src, InetAddress dst, int protocol,
                    int srcPort, int dstPort, int icmpType, int icmpCode, int icmpId) {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public Tuple {
        if (src == null || dst == null) {
            throw new IllegalArgumentException("tuple needs both addresses");
        }
        if (src.getClass() != dst.getClass()) {
            throw new IllegalArgumentException("tuple mixes address families: " + src + " -> " + dst);
        }
        check("protocol", protocol, 255);
        check("source port", srcPort, 0xffff);
        check("destination port", dstPort, 0xffff);
        check("ICMP type", icmpType, 255);
        check("ICMP code", icmpCode, 255);
        check("ICMP id", icmpId, 0xffff);
    }

    private static void check(String what, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " " + v + " out of range 0.." + max);
        }
    }

    public static Tuple ports(InetAddress src, InetAddress dst, int protocol, int srcPort, int dstPort) {
        return new Tuple(src, dst, protocol, srcPort, dstPort, 0, 0, 0);
    }

    public static Tuple icmp(InetAddress src, InetAddress dst, int protocol, int type, int code, int id) {
        return new Tuple(src, dst, protocol, 0, 0, type, code, id);
    }

    /** Whether conntrack keys this protocol by ports. */
    public static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == 132 || protocol == 33 || protocol == 136;
    }

    public static boolean isIcmp(int protocol) {
        return protocol == ICMP || protocol == ICMPV6;
    }

    public Family family() {
        return src instanceof Inet6Address ? Family.INET6 : Family.INET;
    }

    /**
     * Whether {@code reply} is this tuple seen from the other end with no address or port
     * rewritten; false means the connection is NAT'd and the reply tuple carries the binding.
     */
    public boolean isPlainReverseOf(Tuple reply) {
        boolean addresses = src.equals(reply.dst) && dst.equals(reply.src) && protocol == reply.protocol;
        if (hasPorts(protocol)) {
            return addresses && srcPort == reply.dstPort && dstPort == reply.srcPort;
        }
        if (isIcmp(protocol)) {
            return addresses && icmpId == reply.icmpId;
        }
        return addresses;
    }

    /**
     * Spreads what varies between flows: the record's default (31 × h + each field) makes the
     * source and destination port collide along diagonals (p, q) ~ (p + 1, q - 31), which turned
     * the sync table's buckets into long chains for a burst of flows between two hosts.
     */
    @Override
    public int hashCode() {
        int h = src.hashCode() * 0x9E3779B9 + dst.hashCode();
        h = h * 0x9E3779B9 + ((srcPort << 16) | dstPort);
        h = h * 0x9E3779B9 + ((protocol << 24) | (icmpType << 16) | (icmpCode << 8)) + icmpId * 0x85EBCA6B;
        // Murmur3's finaliser: every output bit depends on every input bit, so the low bits (a
        // HashMap bucket, a kernel writer shard) vary with the ports too.
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t && srcPort == t.srcPort && dstPort == t.dstPort && protocol == t.protocol
                && icmpType == t.icmpType && icmpCode == t.icmpCode && icmpId == t.icmpId
                && (src == t.src || src.equals(t.src)) && (dst == t.dst || dst.equals(t.dst));
    }

    @Override
    public String toString() {
        String s = (src instanceof Inet4Address ? src.getHostAddress() : "[" + src.getHostAddress() + "]");
        String d = (dst instanceof Inet4Address ? dst.getHostAddress() : "[" + dst.getHostAddress() + "]");
        if (hasPorts(protocol)) {
            return "proto " + protocol + " " + s + ":" + srcPort + " -> " + d + ":" + dstPort;
        }
        if (isIcmp(protocol)) {
            return "proto " + protocol + " " + s + " -> " + d + " type " + icmpType + " code " + icmpCode + " id " + icmpId;
        }
        return "proto " + protocol + " " + s + " -> " + d;
    }
}
