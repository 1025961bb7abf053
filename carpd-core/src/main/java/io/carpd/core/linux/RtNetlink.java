package io.carpd.core.linux;

import io.carpd.core.config.IpLiteral;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.carpd.core.linux.NetlinkRequest.NLM_F_ACK;
import static io.carpd.core.linux.NetlinkRequest.NLM_F_CREATE;
import static io.carpd.core.linux.NetlinkRequest.NLM_F_DUMP;
import static io.carpd.core.linux.NetlinkRequest.NLM_F_EXCL;
import static io.carpd.core.linux.NetlinkRequest.NLM_F_REPLACE;

/**
 * Route netlink requests carpd needs to own VIPs: interface lookup, address list/add/delete, neighbour
 * lookup, and macvlan management for virtual-MAC mode. Thread-safe (requests are serialised). Failures
 * other than the expected "already there" / "not there" answers throw {@link LinuxIoException} naming
 * the interface and address.
 */
public final class RtNetlink implements AutoCloseable {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;
    static final int RTMGRP_LINK = 0x1;

    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_LINK = 5;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFLA_INFO_DATA = 2;
    private static final int IFLA_MACVLAN_MODE = 1;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;
    private static final int NDA_DST = 1;
    private static final int NDA_LLADDR = 2;
    private static final int NUD_INCOMPLETE = 0x01;
    private static final int NUD_FAILED = 0x20;
    private static final int NUD_PERMANENT = 0x80;
    private static final int NTF_USE = 0x01;
    private static final int IFINFOMSG_LENGTH = 16;
    private static final int IFADDRMSG_LENGTH = 8;
    private static final int NDMSG_LENGTH = 12;

    private final NetlinkSocket socket;

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a request socket in the calling thread's network namespace. */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, 0));
    }

    /** The named interface; throws {@link LinuxIoException} (ENODEV) when there is none. */
    public LinkInfo link(String name) {
        return findLink(name).orElseThrow(
                () -> new LinuxIoException("interface " + name + " does not exist", Errno.ENODEV));
    }

    public Optional<LinkInfo> findLink(String name) {
        NetlinkRequest req = ifinfo(new NetlinkRequest(RTM_GETLINK, 0), 0, 0, 0).attrString(IFLA_IFNAME, name);
        return singleLink(req, "interface " + name);
    }

    public Optional<LinkInfo> findLink(int ifindex) {
        return singleLink(ifinfo(new NetlinkRequest(RTM_GETLINK, 0), ifindex, 0, 0), "interface #" + ifindex);
    }

    private synchronized Optional<LinkInfo> singleLink(NetlinkRequest req, String what) {
        NetlinkSocket.Reply reply = socket.transact(req);
        if (reply.error() == -Errno.ENODEV) {
            return Optional.empty();
        }
        check(reply, "look up " + what);
        return reply.messages().stream().filter(m -> m.type() == RTM_NEWLINK).findFirst().map(RtNetlink::parseLink);
    }

    /** Every interface of the namespace. */
    public synchronized List<LinkInfo> links() {
        NetlinkSocket.Reply reply = socket.transact(ifinfo(new NetlinkRequest(RTM_GETLINK, NLM_F_DUMP), 0, 0, 0));
        check(reply, "list interfaces");
        return reply.messages().stream().filter(m -> m.type() == RTM_NEWLINK).map(RtNetlink::parseLink).toList();
    }

    /** Decodes an RTM_NEWLINK message; RTM_DELLINK is decoded with flags forced to 0 (gone = down). */
    static LinkInfo parseLink(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        int index = p.getInt(4);
        int flags = m.type() == RTM_DELLINK ? 0 : p.getInt(8);
        NetlinkAttributes a = NetlinkAttributes.parse(p, IFINFOMSG_LENGTH);
        String name = a.string(IFLA_IFNAME);
        return new LinkInfo(index, name == null ? "#" + index : name, a.bytes(IFLA_ADDRESS), flags, a.u32(IFLA_MTU, 0));
    }

    /** Addresses of every family on interface {@code ifindex}. */
    public synchronized List<IfAddress> addresses(int ifindex) {
        NetlinkRequest req = new NetlinkRequest(RTM_GETADDR, NLM_F_DUMP).u8(0).u8(0).u8(0).u8(0).u32(ifindex);
        NetlinkSocket.Reply reply = socket.transact(req);
        check(reply, "list addresses of " + describe(ifindex));
        List<IfAddress> out = new ArrayList<>();
        for (NetlinkMessage m : reply.messages()) {
            if (m.type() != RTM_NEWADDR) {
                continue;
            }
            ByteBuffer p = m.payload();
            int index = p.getInt(4);
            if (index != ifindex) {
                continue; // older kernels ignore the index filter of a dump
            }
            NetlinkAttributes a = NetlinkAttributes.parse(p, IFADDRMSG_LENGTH);
            byte[] raw = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
            if (raw == null) {
                continue;
            }
            int flags = a.u32(IFA_FLAGS, Byte.toUnsignedInt(p.get(2)));
            out.add(new IfAddress(index, toInet(raw), Byte.toUnsignedInt(p.get(1)), flags, Byte.toUnsignedInt(p.get(3))));
        }
        return out;
    }

    /**
     * Adds {@code address/prefixLength} to interface {@code ifindex}; for IPv6 {@code nodad} skips
     * duplicate address detection so the address is usable at once (carp.md §9).
     *
     * @return false if the address was already present
     */
    public boolean addAddress(int ifindex, InetAddress address, int prefixLength, boolean nodad) {
        int flags = nodad && address instanceof Inet6Address ? IfAddress.IFA_F_NODAD : 0;
        NetlinkRequest req = ifaddr(new NetlinkRequest(RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
                ifindex, address, prefixLength, flags).attrU32(IFA_FLAGS, flags);
        NetlinkSocket.Reply reply = execute(req);
        if (reply.error() == -Errno.EEXIST) {
            return false;
        }
        if (reply.error() != 0) {
            throw failure(reply, "cannot add " + IpLiteral.format(address) + "/" + prefixLength + " to " + describe(ifindex));
        }
        return true;
    }

    /** @return false if the address was not on the interface (with that prefix length) */
    public boolean deleteAddress(int ifindex, InetAddress address, int prefixLength) {
        NetlinkSocket.Reply reply = execute(ifaddr(new NetlinkRequest(RTM_DELADDR, NLM_F_ACK), ifindex, address, prefixLength, 0));
        if (reply.error() == -Errno.EADDRNOTAVAIL) {
            return false;
        }
        if (reply.error() != 0) {
            throw failure(reply, "cannot delete " + IpLiteral.format(address) + "/" + prefixLength + " from " + describe(ifindex));
        }
        return true;
    }

    private static NetlinkRequest ifaddr(NetlinkRequest req, int ifindex, InetAddress address, int prefixLength, int flags) {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " of "
                    + IpLiteral.format(address) + " is out of range 0.." + max);
        }
        byte[] raw = address.getAddress();
        return req.u8(family(address)).u8(prefixLength).u8(flags & 0xff).u8(0).u32(ifindex)
                .attr(IFA_LOCAL, raw).attr(IFA_ADDRESS, raw);
    }

    /**
     * The link-layer address the kernel's neighbour table holds for {@code address} on {@code ifindex};
     * empty when there is no entry or it is unresolved (INCOMPLETE / FAILED).
     */
    public synchronized Optional<byte[]> neighbour(int ifindex, InetAddress address) {
        NetlinkRequest req = new NetlinkRequest(RTM_GETNEIGH, 0)
                .u8(family(address)).u8(0).u16(0).u32(ifindex).u16(0).u8(0).u8(0)
                .attr(NDA_DST, address.getAddress());
        NetlinkSocket.Reply reply = socket.transact(req);
        if (reply.error() == -Errno.ENOENT) {
            return Optional.empty();
        }
        check(reply, "look up neighbour " + IpLiteral.format(address) + " on " + describe(ifindex));
        for (NetlinkMessage m : reply.messages()) {
            int state = Short.toUnsignedInt(m.payload().getShort(8));
            if ((state & (NUD_INCOMPLETE | NUD_FAILED)) != 0 || state == 0) {
                continue;
            }
            byte[] mac = NetlinkAttributes.parse(m.payload(), NDMSG_LENGTH).bytes(NDA_LLADDR);
            if (mac != null) {
                return Optional.of(mac);
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the kernel to resolve {@code address} on {@code ifindex} as if traffic were waiting for it
     * (NTF_USE: sends an ARP request / neighbour solicitation, or confirms a stale entry), so that a
     * later {@link #neighbour} finds the MAC of a unicast peer. Returns at once; resolution is async.
     */
    public void resolveNeighbour(int ifindex, InetAddress address) {
        // The state is ignored with NTF_USE; PERMANENT is what iproute2's "ip neigh replace ... use" sends.
        NetlinkRequest req = new NetlinkRequest(RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE)
                .u8(family(address)).u8(0).u16(0).u32(ifindex).u16(NUD_PERMANENT).u8(NTF_USE).u8(0)
                .attr(NDA_DST, address.getAddress());
        NetlinkSocket.Reply reply = execute(req);
        if (reply.error() != 0) {
            throw failure(reply, "cannot resolve neighbour " + IpLiteral.format(address) + " on " + describe(ifindex));
        }
    }

    /**
     * Creates macvlan {@code name} on parent {@code parentIndex} with link-layer address {@code mac}
     * (00:00:5e:00:01:VHID in virtual-MAC mode). The new interface is down.
     *
     * @return false if an interface with that name already exists
     */
    public boolean createMacvlan(String name, int parentIndex, byte[] mac, MacvlanMode mode) {
        NetlinkRequest req = ifinfo(new NetlinkRequest(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL), 0, 0, 0)
                .attrString(IFLA_IFNAME, name).attrU32(IFLA_LINK, parentIndex).attr(IFLA_ADDRESS, mac);
        int info = req.beginNested(IFLA_LINKINFO);
        req.attrString(IFLA_INFO_KIND, "macvlan");
        int data = req.beginNested(IFLA_INFO_DATA);
        req.attrU32(IFLA_MACVLAN_MODE, mode.value());
        req.endNested(data).endNested(info);
        NetlinkSocket.Reply reply = execute(req);
        if (reply.error() == -Errno.EEXIST) {
            return false;
        }
        if (reply.error() != 0) {
            throw failure(reply, "cannot create macvlan " + name + " on " + describe(parentIndex));
        }
        return true;
    }

    /** Deletes interface {@code name}; returns false if it did not exist. */
    public boolean deleteLink(String name) {
        NetlinkSocket.Reply reply = execute(ifinfo(new NetlinkRequest(RTM_DELLINK, NLM_F_ACK), 0, 0, 0).attrString(IFLA_IFNAME, name));
        if (reply.error() == -Errno.ENODEV) {
            return false;
        }
        if (reply.error() != 0) {
            throw failure(reply, "cannot delete interface " + name);
        }
        return true;
    }

    /** Sets interface {@code ifindex} administratively up or down. */
    public void setLinkUp(int ifindex, boolean up) {
        NetlinkSocket.Reply reply = execute(ifinfo(new NetlinkRequest(RTM_NEWLINK, NLM_F_ACK), ifindex,
                up ? LinkInfo.IFF_UP : 0, LinkInfo.IFF_UP));
        if (reply.error() != 0) {
            throw failure(reply, "cannot set " + describe(ifindex) + (up ? " up" : " down"));
        }
    }

    private static NetlinkRequest ifinfo(NetlinkRequest req, int ifindex, int flags, int change) {
        return req.u8(0).u8(0).u16(0).u32(ifindex).u32(flags).u32(change);
    }

    private synchronized NetlinkSocket.Reply execute(NetlinkRequest req) {
        return socket.transact(req);
    }

    private static void check(NetlinkSocket.Reply reply, String action) {
        if (reply.error() != 0) {
            throw failure(reply, "cannot " + action);
        }
    }

    /** The error of {@code reply} as an exception, with the kernel's extended-ack text when it sent one. */
    private static LinuxIoException failure(NetlinkSocket.Reply reply, String what) {
        String detail = reply.kernelMessage() == null ? "" : " (kernel: " + reply.kernelMessage() + ")";
        return new LinuxIoException(what + detail, -reply.error());
    }

    /** "eth0 (#3)" for error messages, or "interface #3" when the name cannot be found. */
    private String describe(int ifindex) {
        try {
            return findLink(ifindex).map(l -> l.name() + " (#" + ifindex + ")").orElse("interface #" + ifindex);
        } catch (LinuxIoException e) {
            return "interface #" + ifindex;
        }
    }

    private static int family(InetAddress a) {
        return a instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
    }

    private static InetAddress toInet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a " + raw.length + "-byte address", e);
        }
    }

    @Override
    public synchronized void close() {
        socket.close();
    }
}
