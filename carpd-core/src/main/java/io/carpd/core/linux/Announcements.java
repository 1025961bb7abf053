package io.carpd.core.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * Frames a new MASTER sends so neighbours repoint a VIP at its MAC (carp.md §5): a gratuitous ARP
 * request for IPv4 and an unsolicited neighbour advertisement for IPv6, written as whole Ethernet
 * frames into a caller buffer (no allocation, for repeated sends).
 */
public final class Announcements {
    /** Minimum Ethernet frame without FCS; the ARP frame is padded to it as on the wire. */
    public static final int GARP_LENGTH = 60;
    /** 14 Ethernet + 40 IPv6 + 24 NA + 8 target link-layer address option. */
    public static final int NA_LENGTH = 86;
    private static final byte[] ALL_NODES = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int NA_OVERRIDE = 0x20;
    private static final int NA_ROUTER = 0x80;

    private Announcements() {
    }

    /**
     * Writes a broadcast ARP request with sender IP = target IP = {@code vip} and sender MAC {@code mac}
     * (target MAC zero, RFC 5227 announcement style; Linux neighbours update an existing entry from it).
     *
     * @return the frame length, {@value #GARP_LENGTH}
     */
    public static int gratuitousArp(byte[] dst, byte[] mac, Inet4Address vip) {
        checkSizes(dst, GARP_LENGTH, mac);
        byte[] ip = vip.getAddress();
        int p = 0;
        for (int i = 0; i < 6; i++) {
            dst[p++] = (byte) 0xff;
        }
        System.arraycopy(mac, 0, dst, p, 6);
        p += 6;
        p = put16(dst, p, 0x0806);
        p = put16(dst, p, 1);       // hardware type Ethernet
        p = put16(dst, p, 0x0800);  // protocol type IPv4
        dst[p++] = 6;
        dst[p++] = 4;
        p = put16(dst, p, 1);       // request
        System.arraycopy(mac, 0, dst, p, 6);
        p += 6;
        System.arraycopy(ip, 0, dst, p, 4);
        p += 4;
        for (int i = 0; i < 6; i++) {
            dst[p++] = 0;
        }
        System.arraycopy(ip, 0, dst, p, 4);
        p += 4;
        while (p < GARP_LENGTH) {
            dst[p++] = 0;
        }
        return GARP_LENGTH;
    }

    /** Unsolicited NA with the Override flag only; see {@link #unsolicitedNa(byte[], byte[], Inet6Address, boolean)}. */
    public static int unsolicitedNa(byte[] dst, byte[] mac, Inet6Address vip) {
        return unsolicitedNa(dst, mac, vip, false);
    }

    /**
     * Writes an unsolicited neighbour advertisement from {@code vip} to ff02::1 (33:33:00:00:00:01),
     * hop limit 255, Override flag (plus Router when {@code router}, as OpenBSD does on a forwarding
     * node, so hosts keep using the VIP as a router), target = {@code vip}, target link-layer option =
     * {@code mac}, ICMPv6 checksum over the pseudo-header.
     *
     * @return the frame length, {@value #NA_LENGTH}
     */
    public static int unsolicitedNa(byte[] dst, byte[] mac, Inet6Address vip, boolean router) {
        checkSizes(dst, NA_LENGTH, mac);
        byte[] ip = vip.getAddress();
        int p = 0;
        dst[p++] = 0x33;
        dst[p++] = 0x33;
        dst[p++] = 0;
        dst[p++] = 0;
        dst[p++] = 0;
        dst[p++] = 1;
        System.arraycopy(mac, 0, dst, p, 6);
        p += 6;
        p = put16(dst, p, 0x86dd);
        int ipStart = p;
        dst[p++] = 0x60;
        dst[p++] = 0;
        dst[p++] = 0;
        dst[p++] = 0;
        p = put16(dst, p, 32);      // payload length
        dst[p++] = 58;              // ICMPv6
        dst[p++] = (byte) 255;      // hop limit: receivers drop NAs with anything else
        System.arraycopy(ip, 0, dst, p, 16);
        p += 16;
        System.arraycopy(ALL_NODES, 0, dst, p, 16);
        p += 16;
        int icmp = p;
        dst[p++] = (byte) 136;      // neighbour advertisement
        dst[p++] = 0;
        dst[p++] = 0;               // checksum, filled below
        dst[p++] = 0;
        dst[p++] = (byte) (NA_OVERRIDE | (router ? NA_ROUTER : 0));
        dst[p++] = 0;
        dst[p++] = 0;
        dst[p++] = 0;
        System.arraycopy(ip, 0, dst, p, 16);
        p += 16;
        dst[p++] = 2;               // option: target link-layer address
        dst[p++] = 1;               // length in units of 8 bytes
        System.arraycopy(mac, 0, dst, p, 6);
        p += 6;
        int checksum = icmpv6Checksum(dst, ipStart + 8, icmp, p - icmp);
        dst[icmp + 2] = (byte) (checksum >>> 8);
        dst[icmp + 3] = (byte) checksum;
        return p;
    }

    /**
     * Internet checksum of an ICMPv6 message at {@code frame[icmp..icmp+length)} with the IPv6
     * pseudo-header (source and destination at {@code addresses}, 32 bytes; length; next header 58).
     */
    static int icmpv6Checksum(byte[] frame, int addresses, int icmp, int length) {
        long sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += ((frame[addresses + i] & 0xff) << 8) | (frame[addresses + i + 1] & 0xff);
        }
        sum += length;
        sum += 58;
        for (int i = 0; i < length; i += 2) {
            int lo = i + 1 < length ? frame[icmp + i + 1] & 0xff : 0;
            sum += ((frame[icmp + i] & 0xff) << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void checkSizes(byte[] dst, int needed, byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("MAC must be 6 bytes, got " + mac.length);
        }
        if (dst.length < needed) {
            throw new IllegalArgumentException("frame buffer of " + dst.length + " bytes is shorter than " + needed);
        }
    }

    private static int put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }
}
