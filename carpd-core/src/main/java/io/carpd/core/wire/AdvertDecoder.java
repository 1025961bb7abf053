package io.carpd.core.wire;

import java.util.Objects;

/**
 * Parses and validates one received Ethernet frame as a CARP advertisement (spec carp.md §1, §9).
 * Reusable and allocation-free per frame; not thread-safe (one per capture thread). Never throws on
 * frame content: every malformed or foreign frame maps to a {@link DropReason}.
 *
 * <p>Order: Ethernet and IP header sanity (what the kernel's ip_input would reject before CARP sees
 * the packet), then §9: TTL → length → checksum → VHID lookup → HMAC → own-packet check.
 * The CARP-vs-VRRP rule (IP payload exactly 36 bytes, byte 0 = 0x21, authlen = 7, else NOT_CARP)
 * takes the place of OpenBSD's length and version steps, right after TTL: it is a stricter form of
 * both, and placing it before the checksum keeps VRRP neighbours out of the checksum/VHID/HMAC
 * counters operators alarm on (VRRPv3's checksum includes a pseudo-header and would fail ours; a
 * VRRPv2 router whose VRID equals a local vhid would otherwise count as BAD_HMAC). TTL stays first
 * as §9 binds, and VRRP is always sent with TTL 255 anyway. A frame that announces 36 CARP bytes but
 * was cut off before them cannot be classified further and is TOO_SHORT.
 */
public final class AdvertDecoder {

    static final int ETHERNET_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int PROTO_CARP = 112;
    static final int CARP_TTL = 255;
    static final int CARP_LENGTH = 36;
    static final int CARP_VERSION_TYPE = 0x21;
    static final int CARP_AUTHLEN = 7;

    private final Sha1 work = new Sha1();
    private final byte[] digest = new byte[Sha1.DIGEST_LENGTH];

    /**
     * @param frame  the frame bytes from offset 0 (Ethernet destination MAC first)
     * @param length number of valid bytes in {@code frame}
     * @param table  the receiving interface's virtual hosts
     * @param out    filled with the advert (partly on a drop, see {@link ReceivedAdvert})
     * @return null if the frame is a valid advert for a local vhid, else the first failing check
     * @throws IndexOutOfBoundsException if {@code length} is negative or beyond {@code frame} (a caller bug, not bad input)
     */
    public DropReason decode(byte[] frame, int length, VhidTable table, ReceivedAdvert out) {
        Objects.checkFromIndexSize(0, length, frame.length);
        out.clear();
        if (length < ETHERNET_HEADER) return DropReason.TRUNCATED_ETHERNET;

        int ip = ETHERNET_HEADER;
        int carp;
        int payloadLength;
        int ttl;
        switch (u16(frame, 12)) {
            case ETHERTYPE_IPV4 -> {
                if (length - ip < IPV4_HEADER) return DropReason.TRUNCATED_IP_HEADER;
                int versionIhl = frame[ip] & 0xff;
                int ihl = versionIhl & 0x0f;
                int totalLength = u16(frame, ip + 2);
                if (versionIhl >>> 4 != 4 || ihl < 5 || totalLength < IPV4_HEADER) return DropReason.BAD_IP_HEADER;
                if (ihl > 5) return DropReason.IP_OPTIONS;
                if (InternetChecksum.of(frame, ip, IPV4_HEADER) != 0) return DropReason.BAD_IP_CHECKSUM;
                // Anything but DF set: MF or a fragment offset.
                if ((u16(frame, ip + 6) & 0x3fff) != 0) return DropReason.FRAGMENTED;
                if ((frame[ip + 9] & 0xff) != PROTO_CARP) return DropReason.WRONG_PROTOCOL;
                out.setIp(Family.INET, frame, ip + 12, (frame[ip + 16] & 0xf0) == 0xe0);
                ttl = frame[ip + 8] & 0xff;
                carp = ip + IPV4_HEADER;
                payloadLength = totalLength - IPV4_HEADER;
            }
            case ETHERTYPE_IPV6 -> {
                if (length - ip < IPV6_HEADER) return DropReason.TRUNCATED_IP_HEADER;
                if ((frame[ip] & 0xf0) != 0x60) return DropReason.BAD_IP_HEADER;
                if ((frame[ip + 6] & 0xff) != PROTO_CARP) return DropReason.WRONG_PROTOCOL;
                out.setIp(Family.INET6, frame, ip + 8, (frame[ip + 24] & 0xff) == 0xff);
                ttl = frame[ip + 7] & 0xff;
                carp = ip + IPV6_HEADER;
                payloadLength = u16(frame, ip + 4);
            }
            default -> {
                return DropReason.UNKNOWN_ETHERTYPE;
            }
        }

        if (ttl != CARP_TTL) return DropReason.BAD_TTL;
        if (payloadLength != CARP_LENGTH) return DropReason.NOT_CARP;
        if (length - carp < CARP_LENGTH) return DropReason.TOO_SHORT;
        if ((frame[carp] & 0xff) != CARP_VERSION_TYPE || frame[carp + 3] != CARP_AUTHLEN) return DropReason.NOT_CARP;
        if (InternetChecksum.of(frame, carp, CARP_LENGTH) != 0) return DropReason.BAD_CHECKSUM;

        int vhid = frame[carp + 1] & 0xff;
        long counter = u64(frame, carp + CarpAuth.COUNTER_OFFSET);
        out.setCarp(vhid, frame[carp + 2] & 0xff, frame[carp + 4] & 0xff, frame[carp + 5] & 0xff, counter);

        CarpAuth auth = vhid == 0 ? null : table.auth(vhid);
        if (auth == null) return DropReason.UNKNOWN_VHID;
        if (!auth.verify(work, digest, frame, carp)) return DropReason.BAD_HMAC;
        if (table.isOwnCounter(vhid, counter)) return DropReason.OWN_PACKET;
        return null;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }
}
