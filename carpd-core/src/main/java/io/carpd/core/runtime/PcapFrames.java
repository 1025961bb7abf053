package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import io.carpd.core.linux.Announcements;
import io.carpd.core.linux.IfAddress;
import io.carpd.core.linux.LinkInfo;
import io.carpd.core.linux.PacketPort;
import io.carpd.core.linux.RtNetlink;
import io.carpd.core.wire.AdvertEncoder;
import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.CarpAuth;
import io.carpd.core.wire.Family;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Adverts and announcements as whole Ethernet frames through each interface's pcap handle, the
 * IP source chosen by {@link AdvertSource}. Unicast peers get the MAC the kernel's
 * neighbour table holds; an unknown one is skipped and counted, and a UDP probe makes the kernel
 * resolve it for the next advert. Loop-thread only (one frame buffer, one encoder).
 */
final class PcapFrames implements FrameOps {

    private static final Logger log = LoggerFactory.getLogger(PcapFrames.class);
    /** The discard port: the probe only needs the kernel to resolve the peer's MAC. */
    private static final int PROBE_PORT = 9;

    /**
     * What sending needs about one virtual host.
     *
     * @param virtualMac 00:00:5e:00:01:VHID in virtual MAC mode, null to use the NIC's MAC
     */
    record HostWire(CarpAuth auth, List<InetAddress> vips, List<InetAddress> peers, byte[] virtualMac) {
        boolean has(Family family) {
            return vips.stream().anyMatch(a -> AdvertSource.familyOf(a) == family);
        }
    }

    private final Map<VhKey, HostWire> hosts = new HashMap<>();
    /** Every VIP of every host: none of them may be an advert's source address. */
    private Set<InetAddress> allVips = Set.of();
    private final Map<String, PacketPort> ports;
    private final Function<String, LinkInfo> links;
    private final RtNetlink netlink;
    private final RuntimeCounters counters;
    private final AdvertEncoder encoder = new AdvertEncoder();
    private final byte[] frame = new byte[Math.max(AdvertEncoder.FRAME_LENGTH_INET6, Announcements.NA_LENGTH)];
    private DatagramChannel prober;

    /**
     * @param ports the open pcap handle of each interface (the daemon's live map)
     * @param links the current state of an interface by name, null if unknown
     */
    PcapFrames(Map<String, PacketPort> ports, Function<String, LinkInfo> links, RtNetlink netlink,
               RuntimeCounters counters) {
        this.ports = ports;
        this.links = links;
        this.netlink = netlink;
        this.counters = counters;
    }

    void register(VhKey key, HostWire wire) {
        hosts.put(key, wire);
        allVips = collectVips();
    }

    void unregister(VhKey key) {
        hosts.remove(key);
        allVips = collectVips();
    }

    private Set<InetAddress> collectVips() {
        return hosts.values().stream().flatMap(h -> h.vips().stream()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void sendAdvert(VhKey key, Advertisement advert) {
        HostWire host = hosts.get(key);
        LinkInfo link = links.apply(key.iface());
        PacketPort port = ports.get(key.iface());
        if (host == null || link == null || port == null) {
            counters.drop(key.iface(), "send_error");
            log.warn("{}: cannot send advert: interface {} unknown", key, key.iface());
            return;
        }
        byte[] srcMac = host.virtualMac() != null ? host.virtualMac() : link.mac();
        List<IfAddress> own = netlink.addresses(link.index());
        for (Family family : Family.values()) {
            if (!host.has(family)) continue;
            InetAddress src = AdvertSource.choose(family, own, allVips, host.vips());
            List<InetAddress> peers = host.peers().stream().filter(p -> AdvertSource.familyOf(p) == family).toList();
            if (peers.isEmpty()) {
                send(key, port, advert, host, family, srcMac, AdvertEncoder.multicastMac(family), src,
                        AdvertEncoder.group(family));
                continue;
            }
            for (InetAddress peer : peers) {
                Optional<byte[]> peerMac = netlink.neighbour(link.index(), peer);
                if (peerMac.isPresent()) {
                    send(key, port, advert, host, family, srcMac, peerMac.get(), src, peer);
                } else {
                    counters.drop(key.iface(), "peer_unresolved");
                    log.debug("{}: MAC of peer {} unknown, probing", key, peer.getHostAddress());
                    probe(peer);
                }
            }
        }
    }

    private void send(VhKey key, PacketPort port, Advertisement advert, HostWire host, Family family,
                      byte[] srcMac, byte[] dstMac, InetAddress src, InetAddress dst) {
        int length = encoder.encode(frame, advert, host.auth(), family, srcMac, dstMac, src, dst);
        if (port.send(frame, length)) {
            counters.add(key.iface(), RuntimeCounters.Traffic.ADVERTS_SENT, 1);
        } else {
            counters.drop(key.iface(), "send_error");
            log.warn("{}: advert to {} not sent: {}", key, dst.getHostAddress(), port.lastError());
        }
    }

    @Override
    public void announce(VhKey key) {
        HostWire host = hosts.get(key);
        LinkInfo link = links.apply(key.iface());
        PacketPort port = ports.get(key.iface());
        if (host == null || link == null || port == null) {
            counters.drop(key.iface(), "announce_error");
            return;
        }
        byte[] mac = host.virtualMac() != null ? host.virtualMac() : link.mac();
        for (InetAddress vip : host.vips()) {
            boolean v4 = vip instanceof Inet4Address;
            int length = v4 ? Announcements.gratuitousArp(frame, mac, (Inet4Address) vip)
                    : Announcements.unsolicitedNa(frame, mac, (Inet6Address) vip);
            if (port.send(frame, length)) {
                counters.add(key.iface(), v4 ? RuntimeCounters.Traffic.GARP_SENT : RuntimeCounters.Traffic.NA_SENT, 1);
            } else {
                counters.drop(key.iface(), "announce_error");
                log.warn("{}: announcement of {} not sent: {}", key, vip.getHostAddress(), port.lastError());
            }
        }
    }

    private void probe(InetAddress peer) {
        try {
            if (prober == null) {
                prober = DatagramChannel.open();
                prober.configureBlocking(false);
            }
            prober.send(ByteBuffer.allocate(0), new InetSocketAddress(peer, PROBE_PORT));
        } catch (IOException e) {
            log.debug("probe to {} failed: {}", peer.getHostAddress(), e.toString());
        }
    }

    void close() {
        if (prober == null) return;
        try {
            prober.close();
        } catch (IOException e) {
            log.debug("closing the probe socket: {}", e.toString());
        }
    }
}
