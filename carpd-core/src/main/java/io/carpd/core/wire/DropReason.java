package io.carpd.core.wire;

import java.util.Locale;

/**
 * Why a received frame was not accepted as a CARP advertisement, in the order the decoder checks
 * (a frame with several faults reports the first). The frame and IP checks come first, like the
 * kernel's ip_input before carp_input; then spec §9's order: TTL → length (with the CARP-vs-VRRP
 * rule) → checksum → VHID → HMAC → own packet.
 *
 * <p>There is no separate "bad version" reason: §9 accepts only byte 0 = 0x21 (version 2, type 1)
 * as CARP, so any other version is {@link #NOT_CARP} (VRRPv3 is 0x31 and can be exactly 36 bytes).
 */
public enum DropReason {
    TRUNCATED_ETHERNET("frame shorter than an Ethernet header"),
    UNKNOWN_ETHERTYPE("EtherType is neither IPv4 (0x0800) nor IPv6 (0x86DD)"),
    TRUNCATED_IP_HEADER("frame ends inside the IP header"),
    BAD_IP_HEADER("IP version does not match the EtherType, IHL below 5 or total length below the header"),
    IP_OPTIONS("IPv4 header carries options (IHL > 5); CARP senders never add any"),
    BAD_IP_CHECKSUM("IPv4 header checksum is wrong"),
    FRAGMENTED("IPv4 fragment"),
    WRONG_PROTOCOL("IP protocol / IPv6 next header is not 112 (IPv6 extension headers included)"),
    BAD_TTL("TTL / hop limit is not 255: sender not on-link"),
    NOT_CARP("protocol 112 but not CARP: IP payload not 36 bytes, byte 0 not 0x21 or authlen not 7 (VRRP)"),
    TOO_SHORT("frame ends before the 36 CARP bytes its IP header announces"),
    BAD_CHECKSUM("CARP checksum is wrong"),
    UNKNOWN_VHID("no virtual host with this vhid here"),
    BAD_HMAC("HMAC does not match: different password, vhid or address set"),
    OWN_PACKET("counter is one this node sent: own advert looped back");

    private final String label;
    private final String description;

    DropReason(String description) {
        this.label = name().toLowerCase(Locale.ROOT);
        this.description = description;
    }

    /** snake_case name for metrics and logs, e.g. {@code bad_hmac}. */
    public String label() {
        return label;
    }

    /** One sentence for operators. */
    public String description() {
        return description;
    }
}
