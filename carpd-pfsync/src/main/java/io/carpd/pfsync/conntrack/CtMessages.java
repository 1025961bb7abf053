package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.NetlinkAttributes;
import io.carpd.core.linux.NetlinkMessage;
import io.carpd.core.linux.NetlinkRequest;
import io.carpd.core.wire.Family;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * ctnetlink message layout: numbers from the kernel UAPI (nfnetlink_conntrack.h), parsing of
 * conntrack messages into {@link ConnState} and building of create/update/delete/dump requests
 * on the core's netlink request type. No sockets.
 */
public final class CtMessages {
    // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_*
    public static final int CT_NEW = 0x0100;
    public static final int CT_GET = 0x0101;
    public static final int CT_DELETE = 0x0102;

    /** Multicast group bits (1 << (group - 1)) for NEW, UPDATE and DESTROY. */
    public static final int GROUPS_NEW_UPDATE_DESTROY = 0x1 | 0x2 | 0x4;

    static final int NLA_F_NESTED = 0x8000;
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    // enum ctattr_type
    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_TUPLE_REPLY = 2;
    static final int CTA_STATUS = 3;
    static final int CTA_PROTOINFO = 4;
    static final int CTA_NAT_SRC = 6;
    static final int CTA_TIMEOUT = 7;
    static final int CTA_MARK = 8;
    static final int CTA_NAT_DST = 13;
    static final int CTA_ZONE = 18;
    // tuple nest
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    static final int CTA_PROTO_ICMP_ID = 4;
    static final int CTA_PROTO_ICMP_TYPE = 5;
    static final int CTA_PROTO_ICMP_CODE = 6;
    static final int CTA_PROTO_ICMPV6_ID = 7;
    static final int CTA_PROTO_ICMPV6_TYPE = 8;
    static final int CTA_PROTO_ICMPV6_CODE = 9;
    // protoinfo nest
    static final int CTA_PROTOINFO_TCP = 1;
    static final int CTA_PROTOINFO_TCP_STATE = 1;
    static final int CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2;
    static final int CTA_PROTOINFO_TCP_WSCALE_REPLY = 3;
    static final int CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4;
    static final int CTA_PROTOINFO_TCP_FLAGS_REPLY = 5;
    // nat nest
    static final int CTA_NAT_V4_MINIP = 1;
    static final int CTA_NAT_V4_MAXIP = 2;
    static final int CTA_NAT_PROTO = 3;
    static final int CTA_NAT_V6_MINIP = 4;
    static final int CTA_NAT_V6_MAXIP = 5;
    static final int CTA_PROTONAT_PORT_MIN = 1;
    static final int CTA_PROTONAT_PORT_MAX = 2;

    static final int STATUS_EXPECTED = 0x1;
    static final int STATUS_CONFIRMED = 0x8;
    static final int STATUS_DYING = 0x200;

    private CtMessages() {
    }

    /** Parses one CT_NEW / CT_DELETE message (payload: nfgenmsg, then attributes). */
    public static ConnState parse(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        if (p.limit() < 4) {
            throw new MalformedCtMessageException("conntrack message of " + p.limit() + " bytes has no nfgenmsg");
        }
        int af = Byte.toUnsignedInt(p.get(0));
        Family family = switch (af) {
            case AF_INET -> Family.INET;
            case AF_INET6 -> Family.INET6;
            default -> throw new MalformedCtMessageException("conntrack message with address family " + af);
        };
        NetlinkAttributes a = NetlinkAttributes.parse(p, 4);
        if (!a.has(CTA_TUPLE_ORIG) || !a.has(CTA_TUPLE_REPLY)) {
            throw new MalformedCtMessageException("conntrack message without both tuples");
        }
        Tuple orig = parseTuple(a.nested(CTA_TUPLE_ORIG), family);
        Tuple reply = parseTuple(a.nested(CTA_TUPLE_REPLY), family);
        int status = a.has(CTA_STATUS) ? be32(a, CTA_STATUS) : 0;
        int timeout = a.has(CTA_TIMEOUT) ? be32(a, CTA_TIMEOUT) : ConnState.NO_TIMEOUT;
        int mark = a.has(CTA_MARK) ? be32(a, CTA_MARK) : 0;
        int zone = a.has(CTA_ZONE) ? be16(a, CTA_ZONE) : 0;
        TcpInfo tcp = null;
        if (a.has(CTA_PROTOINFO) && orig.protocol() == Tuple.TCP) {
            NetlinkAttributes pi = a.nested(CTA_PROTOINFO);
            if (pi.has(CTA_PROTOINFO_TCP)) {
                tcp = parseTcp(pi.nested(CTA_PROTOINFO_TCP));
            }
        }
        try {
            return new ConnState(zone, family, orig, reply, status, Math.max(timeout, ConnState.NO_TIMEOUT), mark, tcp);
        } catch (IllegalArgumentException e) {
            throw new MalformedCtMessageException("conntrack message: " + e.getMessage());
        }
    }

    private static byte[] value(NetlinkAttributes a, int type, int size) {
        byte[] b = a.bytes(type);
        if (b == null) {
            throw new MalformedCtMessageException("attribute " + type + " missing");
        }
        if (b.length < size) {
            throw new MalformedCtMessageException("attribute " + type + " has " + b.length + " bytes, needs " + size);
        }
        return b;
    }

    private static int u8(NetlinkAttributes a, int type) {
        return Byte.toUnsignedInt(value(a, type, 1)[0]);
    }

    private static int be16(NetlinkAttributes a, int type) {
        byte[] b = value(a, type, 2);
        return (b[0] & 0xff) << 8 | (b[1] & 0xff);
    }

    private static int be32(NetlinkAttributes a, int type) {
        return ByteBuffer.wrap(value(a, type, 4)).getInt();
    }

    private static Tuple parseTuple(NetlinkAttributes t, Family family) {
        NetlinkAttributes ip = t.nested(CTA_TUPLE_IP);
        NetlinkAttributes proto = t.nested(CTA_TUPLE_PROTO);
        boolean v6 = family == Family.INET6;
        InetAddress src = address(value(ip, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, 0), v6);
        InetAddress dst = address(value(ip, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, 0), v6);
        int p = u8(proto, CTA_PROTO_NUM);
        if (Tuple.hasPorts(p)) {
            return Tuple.ports(src, dst, p, be16(proto, CTA_PROTO_SRC_PORT), be16(proto, CTA_PROTO_DST_PORT));
        }
        if (p == Tuple.ICMP) {
            return Tuple.icmp(src, dst, p, u8(proto, CTA_PROTO_ICMP_TYPE), u8(proto, CTA_PROTO_ICMP_CODE),
                    be16(proto, CTA_PROTO_ICMP_ID));
        }
        if (p == Tuple.ICMPV6) {
            return Tuple.icmp(src, dst, p, u8(proto, CTA_PROTO_ICMPV6_TYPE), u8(proto, CTA_PROTO_ICMPV6_CODE),
                    be16(proto, CTA_PROTO_ICMPV6_ID));
        }
        return Tuple.ports(src, dst, p, 0, 0);
    }

    private static InetAddress address(byte[] raw, boolean v6) {
        if (raw.length != (v6 ? 16 : 4)) {
            throw new MalformedCtMessageException("address of " + raw.length + " bytes in an " + (v6 ? "IPv6" : "IPv4") + " tuple");
        }
        try {
            return Interned.address(raw);
        } catch (UnknownHostException e) {
            throw new MalformedCtMessageException("bad address: " + e.getMessage());
        }
    }

    private static TcpInfo parseTcp(NetlinkAttributes t) {
        int state = t.has(CTA_PROTOINFO_TCP_STATE) ? u8(t, CTA_PROTOINFO_TCP_STATE) : 0;
        int wso = t.has(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL) ? u8(t, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL) : 0;
        int wsr = t.has(CTA_PROTOINFO_TCP_WSCALE_REPLY) ? u8(t, CTA_PROTOINFO_TCP_WSCALE_REPLY) : 0;
        // struct nf_ct_tcp_flags { u8 flags; u8 mask; }: the kernel reports the flags in the first byte.
        int fo = t.has(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL) ? u8(t, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL) : 0;
        int fr = t.has(CTA_PROTOINFO_TCP_FLAGS_REPLY) ? u8(t, CTA_PROTOINFO_TCP_FLAGS_REPLY) : 0;
        try {
            return Interned.tcp(new TcpInfo(state, wso, wsr, fo, fr));
        } catch (IllegalArgumentException e) {
            throw new MalformedCtMessageException("TCP protocol info: " + e.getMessage());
        }
    }

    /** A dump request for every family and zone. */
    public static NetlinkRequest dumpRequest() {
        return nfgen(new NetlinkRequest(CT_GET, NetlinkRequest.NLM_F_DUMP), AF_UNSPEC);
    }

    /**
     * A request that creates {@code s}, or updates it when it exists. With {@code withNat} the NAT
     * binding is sent too, which the kernel accepts only on creation, so the request is exclusive
     * and the caller retries an EEXIST answer without NAT. Without {@code withStatus} the status
     * is left as the kernel has it (only valid for updates; creation derives it from the tuples).
     */
    public static NetlinkRequest upsertRequest(ConnState s, boolean withNat, boolean withStatus, boolean ack) {
        int flags = NetlinkRequest.NLM_F_CREATE | (withNat ? NetlinkRequest.NLM_F_EXCL : 0) | (ack ? NetlinkRequest.NLM_F_ACK : 0);
        NetlinkRequest r = nfgen(new NetlinkRequest(CT_NEW, flags), s.family());
        writeTuple(r, CTA_TUPLE_ORIG, s.original());
        // With NAT the kernel derives the translated reply tuple from the reply tuple it is given
        // and the NAT ranges, and sets the SRC_NAT/DST_NAT status only if that changes the tuple:
        // sending the already translated reply would store it without a binding, so packets would
        // leave untranslated. It gets the plain reverse and builds the binding itself.
        writeTuple(r, CTA_TUPLE_REPLY, withNat ? unNattedReply(s) : s.reply());
        if (s.zone() != 0) {
            r.attr(CTA_ZONE, be16(s.zone()));
        }
        if (withNat) {
            writeNat(r, s);
        }
        // The kernel requires a timeout on creation; a state that lost its timeout gets a short one
        // rather than being refused, and the next update from the peer corrects it.
        r.attr(CTA_TIMEOUT, be32(s.timeoutSeconds() == ConnState.NO_TIMEOUT ? 60 : s.timeoutSeconds()));
        if (withStatus) {
            r.attr(CTA_STATUS, be32(writableStatus(s.status())));
        }
        if (s.protocol() == Tuple.TCP && s.tcp() != null) {
            writeTcp(r, s.tcp());
        }
        if (s.mark() != 0) {
            r.attr(CTA_MARK, be32(s.mark()));
        }
        return r;
    }

    /** The reply tuple the connection would have without NAT (ICMP keeps the reply's type and code). */
    static Tuple unNattedReply(ConnState s) {
        Tuple o = s.original();
        Tuple r = s.reply();
        return new Tuple(o.dst(), o.src(), o.protocol(), o.dstPort(), o.srcPort(), r.icmpType(), r.icmpCode(), o.icmpId());
    }

    /**
     * The status to send: the kernel refuses (EBUSY) any request whose EXPECTED, CONFIRMED or DYING
     * bits differ from the entry's, and every entry it creates or updates here is confirmed, not
     * dying, and (RELATED children not being synced yet) not expected. NAT and offload bits are
     * ignored by the kernel, so they may pass through unchanged.
     */
    static int writableStatus(int status) {
        return (status & ~(STATUS_EXPECTED | STATUS_DYING)) | STATUS_CONFIRMED;
    }

    /** A delete request for the connection {@code k}. */
    public static NetlinkRequest deleteRequest(ConnKey k, boolean ack) {
        NetlinkRequest r = nfgen(new NetlinkRequest(CT_DELETE, ack ? NetlinkRequest.NLM_F_ACK : 0), k.family());
        writeTuple(r, CTA_TUPLE_ORIG, k.original());
        if (k.zone() != 0) {
            r.attr(CTA_ZONE, be16(k.zone()));
        }
        return r;
    }

    private static NetlinkRequest nfgen(NetlinkRequest r, Family f) {
        return nfgen(r, f == Family.INET6 ? AF_INET6 : AF_INET);
    }

    /** struct nfgenmsg: family, version 0, resource id 0 (big-endian, zero either way). */
    private static NetlinkRequest nfgen(NetlinkRequest r, int af) {
        return r.u8(af).u8(0).u16(0);
    }

    private static byte[] be16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] be32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static int nest(NetlinkRequest r, int type) {
        return r.beginNested(type | NLA_F_NESTED);
    }

    private static void writeTuple(NetlinkRequest r, int type, Tuple t) {
        int tuple = nest(r, type);
        int ip = nest(r, CTA_TUPLE_IP);
        boolean v6 = t.family() == Family.INET6;
        r.attr(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, t.src().getAddress());
        r.attr(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, t.dst().getAddress());
        r.endNested(ip);
        int proto = nest(r, CTA_TUPLE_PROTO);
        r.attr(CTA_PROTO_NUM, new byte[] {(byte) t.protocol()});
        if (Tuple.hasPorts(t.protocol())) {
            r.attr(CTA_PROTO_SRC_PORT, be16(t.srcPort()));
            r.attr(CTA_PROTO_DST_PORT, be16(t.dstPort()));
        } else if (t.protocol() == Tuple.ICMP) {
            r.attr(CTA_PROTO_ICMP_ID, be16(t.icmpId()));
            r.attr(CTA_PROTO_ICMP_TYPE, new byte[] {(byte) t.icmpType()});
            r.attr(CTA_PROTO_ICMP_CODE, new byte[] {(byte) t.icmpCode()});
        } else if (t.protocol() == Tuple.ICMPV6) {
            r.attr(CTA_PROTO_ICMPV6_ID, be16(t.icmpId()));
            r.attr(CTA_PROTO_ICMPV6_TYPE, new byte[] {(byte) t.icmpType()});
            r.attr(CTA_PROTO_ICMPV6_CODE, new byte[] {(byte) t.icmpCode()});
        }
        r.endNested(proto);
        r.endNested(tuple);
    }

    private static void writeTcp(NetlinkRequest r, TcpInfo tcp) {
        int pi = nest(r, CTA_PROTOINFO);
        int t = nest(r, CTA_PROTOINFO_TCP);
        r.attr(CTA_PROTOINFO_TCP_STATE, new byte[] {(byte) tcp.state()});
        r.attr(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, new byte[] {(byte) tcp.wscaleOriginal()});
        r.attr(CTA_PROTOINFO_TCP_WSCALE_REPLY, new byte[] {(byte) tcp.wscaleReply()});
        // Windows are never synced, so the injected entry must be liberal in both directions until
        // it has relearnt them; the mask makes the kernel set exactly these bits.
        int fo = tcp.flagsOriginal() | TcpInfo.FLAG_BE_LIBERAL;
        int fr = tcp.flagsReply() | TcpInfo.FLAG_BE_LIBERAL;
        r.attr(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, new byte[] {(byte) fo, (byte) fo});
        r.attr(CTA_PROTOINFO_TCP_FLAGS_REPLY, new byte[] {(byte) fr, (byte) fr});
        r.endNested(t);
        r.endNested(pi);
    }

    /**
     * NAT bindings rebuilt from the reply tuple: where the reply is not addressed back to the
     * original source, the source was rewritten to the reply's destination (SNAT); where it does
     * not come from the original destination, that was rewritten to the reply's source (DNAT).
     */
    private static void writeNat(NetlinkRequest r, ConnState s) {
        Tuple o = s.original();
        Tuple rep = s.reply();
        boolean ports = Tuple.hasPorts(o.protocol());
        if (!o.src().equals(rep.dst()) || (ports && o.srcPort() != rep.dstPort())) {
            writeNatRange(r, CTA_NAT_SRC, rep.dst(), ports ? rep.dstPort() : -1);
        }
        if (!o.dst().equals(rep.src()) || (ports && o.dstPort() != rep.srcPort())) {
            writeNatRange(r, CTA_NAT_DST, rep.src(), ports ? rep.srcPort() : -1);
        }
    }

    private static void writeNatRange(NetlinkRequest r, int type, InetAddress to, int port) {
        int nat = nest(r, type);
        boolean v6 = to.getAddress().length == 16;
        r.attr(v6 ? CTA_NAT_V6_MINIP : CTA_NAT_V4_MINIP, to.getAddress());
        r.attr(v6 ? CTA_NAT_V6_MAXIP : CTA_NAT_V4_MAXIP, to.getAddress());
        if (port >= 0) {
            int p = nest(r, CTA_NAT_PROTO);
            r.attr(CTA_PROTONAT_PORT_MIN, be16(port));
            r.attr(CTA_PROTONAT_PORT_MAX, be16(port));
            r.endNested(p);
        }
        r.endNested(nat);
    }
}
