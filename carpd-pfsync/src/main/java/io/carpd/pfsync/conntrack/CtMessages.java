package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.netlink.MalformedNetlinkException;
import io.carpd.pfsync.netlink.NlAttrs;
import io.carpd.pfsync.netlink.NlBuilder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * ctnetlink message layout: numbers from the kernel UAPI (nfnetlink_conntrack.h), parsing of
 * conntrack messages into {@link ConnState} and writing of create/update/delete/dump requests.
 * Pure functions over buffers; no sockets.
 */
public final class CtMessages {
    // nlmsghdr types and flags
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;

    // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_*
    public static final int CT_NEW = 0x0100;
    public static final int CT_GET = 0x0101;
    public static final int CT_DELETE = 0x0102;

    /** Multicast group bits (1 << (group - 1)) for NEW, UPDATE and DESTROY. */
    public static final int GROUPS_NEW_UPDATE_DESTROY = 0x1 | 0x2 | 0x4;

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
    static final int CTA_MAX = 26;
    // tuple nest
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    static final int CTA_TUPLE_MAX = 3;
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    static final int CTA_IP_MAX = 4;
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    static final int CTA_PROTO_ICMP_ID = 4;
    static final int CTA_PROTO_ICMP_TYPE = 5;
    static final int CTA_PROTO_ICMP_CODE = 6;
    static final int CTA_PROTO_ICMPV6_ID = 7;
    static final int CTA_PROTO_ICMPV6_TYPE = 8;
    static final int CTA_PROTO_ICMPV6_CODE = 9;
    static final int CTA_PROTO_MAX = 9;
    // protoinfo nest
    static final int CTA_PROTOINFO_TCP = 1;
    static final int CTA_PROTOINFO_MAX = 3;
    static final int CTA_PROTOINFO_TCP_STATE = 1;
    static final int CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2;
    static final int CTA_PROTOINFO_TCP_WSCALE_REPLY = 3;
    static final int CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4;
    static final int CTA_PROTOINFO_TCP_FLAGS_REPLY = 5;
    static final int CTA_PROTOINFO_TCP_MAX = 5;
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

    public static int type(ByteBuffer buf, int msg) {
        return Short.toUnsignedInt(buf.getShort(msg + 4));
    }

    public static int flags(ByteBuffer buf, int msg) {
        return Short.toUnsignedInt(buf.getShort(msg + 6));
    }

    public static int seq(ByteBuffer buf, int msg) {
        return buf.getInt(msg + 8);
    }

    public static int portId(ByteBuffer buf, int msg) {
        return buf.getInt(msg + 12);
    }

    /** Length of the message at {@code msg}, checked against the datagram end. */
    public static int length(ByteBuffer buf, int msg, int end) {
        if (msg + NlBuilder.NLMSG_HDRLEN > end) {
            throw new MalformedNetlinkException("netlink header at " + msg + " overruns datagram of " + end);
        }
        int len = buf.getInt(msg);
        if (len < NlBuilder.NLMSG_HDRLEN || msg + len > end) {
            throw new MalformedNetlinkException("netlink message length " + len + " at " + msg + " overruns datagram of " + end);
        }
        return len;
    }

    /** Offset of the next message after the one at {@code msg} of length {@code len}. */
    public static int next(int msg, int len) {
        return msg + ((len + 3) & ~3);
    }

    /** The negative errno carried by an NLMSG_ERROR message, as a positive errno (0 = ack). */
    public static int errorCode(ByteBuffer buf, int msg) {
        return -buf.getInt(msg + NlBuilder.NLMSG_HDRLEN);
    }

    /** Sequence number of the request an NLMSG_ERROR answers. */
    public static int errorRequestSeq(ByteBuffer buf, int msg) {
        return buf.getInt(msg + NlBuilder.NLMSG_HDRLEN + 4 + 8);
    }

    /** Parses one CT_NEW / CT_DELETE message (header at {@code msg}, total {@code len} bytes). */
    public static ConnState parse(ByteBuffer buf, int msg, int len) {
        int body = msg + NlBuilder.NLMSG_HDRLEN;
        if (buf.getInt(msg) != len) {
            throw new MalformedNetlinkException("conntrack message claims " + buf.getInt(msg) + " bytes, has " + len);
        }
        if (len < NlBuilder.NLMSG_HDRLEN + 4) {
            throw new MalformedNetlinkException("conntrack message of " + len + " bytes has no nfgenmsg");
        }
        int af = Byte.toUnsignedInt(buf.get(body));
        Family family = switch (af) {
            case AF_INET -> Family.INET;
            case AF_INET6 -> Family.INET6;
            default -> throw new MalformedNetlinkException("conntrack message with address family " + af);
        };
        NlAttrs a = NlAttrs.parse(buf, body + 4, msg + len, CTA_MAX);
        if (!a.has(CTA_TUPLE_ORIG) || !a.has(CTA_TUPLE_REPLY)) {
            throw new MalformedNetlinkException("conntrack message without both tuples");
        }
        Tuple orig = parseTuple(a.nested(CTA_TUPLE_ORIG, CTA_TUPLE_MAX), family);
        Tuple reply = parseTuple(a.nested(CTA_TUPLE_REPLY, CTA_TUPLE_MAX), family);
        int status = a.has(CTA_STATUS) ? a.be32(CTA_STATUS) : 0;
        int timeout = a.has(CTA_TIMEOUT) ? a.be32(CTA_TIMEOUT) : ConnState.NO_TIMEOUT;
        int mark = a.has(CTA_MARK) ? a.be32(CTA_MARK) : 0;
        int zone = a.has(CTA_ZONE) ? a.be16(CTA_ZONE) : 0;
        TcpInfo tcp = null;
        if (a.has(CTA_PROTOINFO) && orig.protocol() == Tuple.TCP) {
            NlAttrs pi = a.nested(CTA_PROTOINFO, CTA_PROTOINFO_MAX);
            if (pi.has(CTA_PROTOINFO_TCP)) {
                tcp = parseTcp(pi.nested(CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_MAX));
            }
        }
        try {
            return new ConnState(zone, family, orig, reply, status, Math.max(timeout, ConnState.NO_TIMEOUT), mark, tcp);
        } catch (IllegalArgumentException e) {
            throw new MalformedNetlinkException("conntrack message: " + e.getMessage());
        }
    }

    private static Tuple parseTuple(NlAttrs t, Family family) {
        NlAttrs ip = t.nested(CTA_TUPLE_IP, CTA_IP_MAX);
        NlAttrs proto = t.nested(CTA_TUPLE_PROTO, CTA_PROTO_MAX);
        boolean v6 = family == Family.INET6;
        InetAddress src = address(ip.bytes(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC), v6);
        InetAddress dst = address(ip.bytes(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST), v6);
        int p = proto.u8(CTA_PROTO_NUM);
        if (Tuple.hasPorts(p)) {
            return Tuple.ports(src, dst, p, proto.be16(CTA_PROTO_SRC_PORT), proto.be16(CTA_PROTO_DST_PORT));
        }
        if (p == Tuple.ICMP) {
            return Tuple.icmp(src, dst, p, proto.u8(CTA_PROTO_ICMP_TYPE), proto.u8(CTA_PROTO_ICMP_CODE),
                    proto.be16(CTA_PROTO_ICMP_ID));
        }
        if (p == Tuple.ICMPV6) {
            return Tuple.icmp(src, dst, p, proto.u8(CTA_PROTO_ICMPV6_TYPE), proto.u8(CTA_PROTO_ICMPV6_CODE),
                    proto.be16(CTA_PROTO_ICMPV6_ID));
        }
        return Tuple.ports(src, dst, p, 0, 0);
    }

    private static InetAddress address(byte[] raw, boolean v6) {
        if (raw.length != (v6 ? 16 : 4)) {
            throw new MalformedNetlinkException("address of " + raw.length + " bytes in an " + (v6 ? "IPv6" : "IPv4") + " tuple");
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new MalformedNetlinkException("bad address: " + e.getMessage());
        }
    }

    private static TcpInfo parseTcp(NlAttrs t) {
        int state = t.has(CTA_PROTOINFO_TCP_STATE) ? t.u8(CTA_PROTOINFO_TCP_STATE) : 0;
        int wso = t.has(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL) ? t.u8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL) : 0;
        int wsr = t.has(CTA_PROTOINFO_TCP_WSCALE_REPLY) ? t.u8(CTA_PROTOINFO_TCP_WSCALE_REPLY) : 0;
        // struct nf_ct_tcp_flags { u8 flags; u8 mask; }: the kernel reports the flags in the first byte.
        int fo = t.has(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL) ? t.u8(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL) : 0;
        int fr = t.has(CTA_PROTOINFO_TCP_FLAGS_REPLY) ? t.u8(CTA_PROTOINFO_TCP_FLAGS_REPLY) : 0;
        try {
            return new TcpInfo(state, wso, wsr, fo, fr);
        } catch (IllegalArgumentException e) {
            throw new MalformedNetlinkException("TCP protocol info: " + e.getMessage());
        }
    }

    /** Appends a dump request for every family. */
    public static void writeDump(NlBuilder b, int seq) {
        b.beginMessage(CT_GET, NLM_F_REQUEST | NLM_F_DUMP, seq);
        nfgen(b, AF_UNSPEC);
        b.endMessage();
    }

    /**
     * Appends a request that creates {@code s}, or updates it when it exists. With {@code withNat}
     * the NAT binding is sent too, which the kernel accepts only on creation, so the request is
     * exclusive and the caller retries an EEXIST answer without NAT.
     */
    public static void writeUpsert(NlBuilder b, int seq, boolean ack, ConnState s, boolean withNat) {
        int flags = NLM_F_REQUEST | NLM_F_CREATE | (withNat ? NLM_F_EXCL : 0) | (ack ? NLM_F_ACK : 0);
        b.beginMessage(CT_NEW, flags, seq);
        nfgen(b, s.family());
        writeTuple(b, CTA_TUPLE_ORIG, s.original());
        writeTuple(b, CTA_TUPLE_REPLY, s.reply());
        if (s.zone() != 0) {
            b.putBe16(CTA_ZONE, s.zone());
        }
        if (withNat) {
            writeNat(b, s);
        }
        // The kernel requires a timeout on creation; a state that lost its timeout gets a short one
        // rather than being refused, and the next update from the peer corrects it.
        b.putBe32(CTA_TIMEOUT, s.timeoutSeconds() == ConnState.NO_TIMEOUT ? 60 : s.timeoutSeconds());
        b.putBe32(CTA_STATUS, writableStatus(s.status()));
        if (s.protocol() == Tuple.TCP && s.tcp() != null) {
            writeTcp(b, s.tcp());
        }
        if (s.mark() != 0) {
            b.putBe32(CTA_MARK, s.mark());
        }
        b.endMessage();
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

    /** Appends a delete request for the connection {@code k}. */
    public static void writeDelete(NlBuilder b, int seq, boolean ack, ConnKey k) {
        b.beginMessage(CT_DELETE, NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), seq);
        nfgen(b, k.family());
        writeTuple(b, CTA_TUPLE_ORIG, k.original());
        if (k.zone() != 0) {
            b.putBe16(CTA_ZONE, k.zone());
        }
        b.endMessage();
    }

    private static void nfgen(NlBuilder b, Family f) {
        nfgen(b, f == Family.INET6 ? AF_INET6 : AF_INET);
    }

    private static void nfgen(NlBuilder b, int af) {
        b.putU8Raw(af).putU8Raw(0).putBe16Raw(0);
    }

    private static void writeTuple(NlBuilder b, int type, Tuple t) {
        int tuple = b.beginNest(type);
        int ip = b.beginNest(CTA_TUPLE_IP);
        boolean v6 = t.family() == Family.INET6;
        b.putBytes(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, t.src().getAddress());
        b.putBytes(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, t.dst().getAddress());
        b.endNest(ip);
        int proto = b.beginNest(CTA_TUPLE_PROTO);
        b.putU8(CTA_PROTO_NUM, t.protocol());
        if (Tuple.hasPorts(t.protocol())) {
            b.putBe16(CTA_PROTO_SRC_PORT, t.srcPort());
            b.putBe16(CTA_PROTO_DST_PORT, t.dstPort());
        } else if (t.protocol() == Tuple.ICMP) {
            b.putBe16(CTA_PROTO_ICMP_ID, t.icmpId());
            b.putU8(CTA_PROTO_ICMP_TYPE, t.icmpType());
            b.putU8(CTA_PROTO_ICMP_CODE, t.icmpCode());
        } else if (t.protocol() == Tuple.ICMPV6) {
            b.putBe16(CTA_PROTO_ICMPV6_ID, t.icmpId());
            b.putU8(CTA_PROTO_ICMPV6_TYPE, t.icmpType());
            b.putU8(CTA_PROTO_ICMPV6_CODE, t.icmpCode());
        }
        b.endNest(proto);
        b.endNest(tuple);
    }

    private static void writeTcp(NlBuilder b, TcpInfo tcp) {
        int pi = b.beginNest(CTA_PROTOINFO);
        int t = b.beginNest(CTA_PROTOINFO_TCP);
        b.putU8(CTA_PROTOINFO_TCP_STATE, tcp.state());
        b.putU8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, tcp.wscaleOriginal());
        b.putU8(CTA_PROTOINFO_TCP_WSCALE_REPLY, tcp.wscaleReply());
        // Windows are never synced, so the injected entry must be liberal in both directions until
        // it has relearnt them; the mask makes the kernel set exactly these bits.
        int fo = tcp.flagsOriginal() | TcpInfo.FLAG_BE_LIBERAL;
        int fr = tcp.flagsReply() | TcpInfo.FLAG_BE_LIBERAL;
        b.putBytes(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, new byte[] {(byte) fo, (byte) fo});
        b.putBytes(CTA_PROTOINFO_TCP_FLAGS_REPLY, new byte[] {(byte) fr, (byte) fr});
        b.endNest(t);
        b.endNest(pi);
    }

    /**
     * NAT bindings rebuilt from the reply tuple: where the reply is not addressed back to the
     * original source, the source was rewritten to the reply's destination (SNAT); where it does
     * not come from the original destination, that was rewritten to the reply's source (DNAT).
     */
    private static void writeNat(NlBuilder b, ConnState s) {
        Tuple o = s.original();
        Tuple r = s.reply();
        boolean ports = Tuple.hasPorts(o.protocol());
        if (!o.src().equals(r.dst()) || (ports && o.srcPort() != r.dstPort())) {
            writeNatRange(b, CTA_NAT_SRC, r.dst(), ports ? r.dstPort() : -1);
        }
        if (!o.dst().equals(r.src()) || (ports && o.dstPort() != r.srcPort())) {
            writeNatRange(b, CTA_NAT_DST, r.src(), ports ? r.srcPort() : -1);
        }
    }

    private static void writeNatRange(NlBuilder b, int type, InetAddress to, int port) {
        int nat = b.beginNest(type);
        boolean v6 = to.getAddress().length == 16;
        b.putBytes(v6 ? CTA_NAT_V6_MINIP : CTA_NAT_V4_MINIP, to.getAddress());
        b.putBytes(v6 ? CTA_NAT_V6_MAXIP : CTA_NAT_V4_MAXIP, to.getAddress());
        if (port >= 0) {
            int p = b.beginNest(CTA_NAT_PROTO);
            b.putBe16(CTA_PROTONAT_PORT_MIN, port);
            b.putBe16(CTA_PROTONAT_PORT_MAX, port);
            b.endNest(p);
        }
        b.endNest(nat);
    }
}
