package io.carpd.core.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Builds a whole Ethernet frame carrying one CARP advertisement (spec carp.md §1): frames go out
 * through pcap, so the IP header is ours too. IPv4: TOS 0x10, DF, TTL 255, protocol 112, header
 * checksum; IPv6: hop limit 255, next header 112. The CARP checksum covers exactly the 36 CARP
 * bytes, with no pseudo-header. Reusable, not thread-safe.
 */
public final class AdvertEncoder {

    /** Length of an IPv4 advert frame: 14 + 20 + 36. */
    public static final int FRAME_LENGTH_INET = 70;
    /** Length of an IPv6 advert frame: 14 + 40 + 36. */
    public static final int FRAME_LENGTH_INET6 = 90;

    private static final int TOS_LOWDELAY = 0x10;
    private static final int FLAG_DF = 0x4000;
    private static final byte[] MAC_INET = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
    private static final byte[] MAC_INET6 = {0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
    private static final InetAddress GROUP_INET = address(new byte[] {(byte) 224, 0, 0, 18});
    private static final InetAddress GROUP_INET6 = address(new byte[] {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private final Sha1 work = new Sha1();
    private final IntSupplier ipIdentification;

    /** IPv4 identification random per packet, as the BSDs send it. */
    public AdvertEncoder() {
        this(new SplittableRandom()::nextInt);
    }

    /** @param ipIdentification source of the IPv4 identification field (low 16 bits used), e.g. {@code () -> 0} */
    public AdvertEncoder(IntSupplier ipIdentification) {
        this.ipIdentification = Objects.requireNonNull(ipIdentification, "ipIdentification");
    }

    /** The Ethernet multicast address of the CARP group: 01:00:5e:00:00:12 or 33:33:00:00:00:12 (a fresh copy). */
    public static byte[] multicastMac(Family family) {
        return (family == Family.INET ? MAC_INET : MAC_INET6).clone();
    }

    /** The CARP group: 224.0.0.18 or ff02::12. */
    public static InetAddress group(Family family) {
        return family == Family.INET ? GROUP_INET : GROUP_INET6;
    }

    /** {@link #FRAME_LENGTH_INET} or {@link #FRAME_LENGTH_INET6}. */
    public static int frameLength(Family family) {
        return family == Family.INET ? FRAME_LENGTH_INET : FRAME_LENGTH_INET6;
    }

    /**
     * Writes the frame to {@code frame[0..]} and returns its length.
     *
     * @param dst the group ({@link #group}) or a unicast peer, same family as {@code src}
     * @throws IllegalArgumentException if the addresses do not match {@code family}, a MAC is not 6 bytes,
     *                                  {@code auth} is for another vhid or {@code frame} is too small
     */
    public int encode(byte[] frame, Advertisement ad, CarpAuth auth, Family family,
                      byte[] srcMac, byte[] dstMac, InetAddress src, InetAddress dst) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(family, "family");
        if (auth.vhid() != ad.vhid()) {
            throw new IllegalArgumentException("auth is for vhid " + auth.vhid() + ", advert for vhid " + ad.vhid());
        }
        if (srcMac.length != 6 || dstMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses must be 6 bytes: source has " + srcMac.length
                    + ", destination " + dstMac.length);
        }
        Class<? extends InetAddress> type = family == Family.INET ? Inet4Address.class : Inet6Address.class;
        if (!type.isInstance(src) || !type.isInstance(dst)) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst + " must both be " + family);
        }
        int length = frameLength(family);
        if (frame.length < length) throw new IllegalArgumentException("frame buffer " + frame.length + " < " + length + " bytes");

        System.arraycopy(dstMac, 0, frame, 0, 6);
        System.arraycopy(srcMac, 0, frame, 6, 6);
        int ip = AdvertDecoder.ETHERNET_HEADER;
        int carp = family == Family.INET ? writeIpv4(frame, ip, src, dst) : writeIpv6(frame, ip, src, dst);
        writeCarp(frame, carp, ad, auth);
        return length;
    }

    private int writeIpv4(byte[] f, int ip, InetAddress src, InetAddress dst) {
        put16(f, 12, AdvertDecoder.ETHERTYPE_IPV4);
        f[ip] = 0x45;
        f[ip + 1] = TOS_LOWDELAY;
        put16(f, ip + 2, AdvertDecoder.IPV4_HEADER + AdvertDecoder.CARP_LENGTH);
        put16(f, ip + 4, ipIdentification.getAsInt() & 0xffff);
        put16(f, ip + 6, FLAG_DF);
        f[ip + 8] = (byte) AdvertDecoder.CARP_TTL;
        f[ip + 9] = AdvertDecoder.PROTO_CARP;
        put16(f, ip + 10, 0);
        System.arraycopy(src.getAddress(), 0, f, ip + 12, 4);
        System.arraycopy(dst.getAddress(), 0, f, ip + 16, 4);
        put16(f, ip + 10, InternetChecksum.of(f, ip, AdvertDecoder.IPV4_HEADER));
        return ip + AdvertDecoder.IPV4_HEADER;
    }

    private static int writeIpv6(byte[] f, int ip, InetAddress src, InetAddress dst) {
        put16(f, 12, AdvertDecoder.ETHERTYPE_IPV6);
        f[ip] = 0x60; // version 6, traffic class 0, flow label 0
        f[ip + 1] = 0;
        f[ip + 2] = 0;
        f[ip + 3] = 0;
        put16(f, ip + 4, AdvertDecoder.CARP_LENGTH);
        f[ip + 6] = AdvertDecoder.PROTO_CARP;
        f[ip + 7] = (byte) AdvertDecoder.CARP_TTL;
        System.arraycopy(src.getAddress(), 0, f, ip + 8, 16);
        System.arraycopy(dst.getAddress(), 0, f, ip + 24, 16);
        return ip + AdvertDecoder.IPV6_HEADER;
    }

    private void writeCarp(byte[] f, int carp, Advertisement ad, CarpAuth auth) {
        f[carp] = AdvertDecoder.CARP_VERSION_TYPE;
        f[carp + 1] = (byte) ad.vhid();
        f[carp + 2] = (byte) ad.advskew();
        f[carp + 3] = AdvertDecoder.CARP_AUTHLEN;
        f[carp + 4] = (byte) ad.demote();
        f[carp + 5] = (byte) ad.advbase();
        put16(f, carp + 6, 0);
        long counter = ad.counter();
        for (int i = 0; i < 8; i++) f[carp + CarpAuth.COUNTER_OFFSET + i] = (byte) (counter >>> (56 - 8 * i));
        auth.sign(work, f, carp);
        put16(f, carp + 6, InternetChecksum.of(f, carp, AdvertDecoder.CARP_LENGTH));
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
