package io.carpd.core.runtime;

import io.carpd.core.linux.IfAddress;
import io.carpd.core.wire.Family;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * The IP source of an advert: the parent interface's own first IPv4 address, or its usable IPv6
 * link-local (spec §1.2/1.3), never one of the VIPs it may carry. Without one, OpenBSD falls back
 * to an address of the carp interface, so we fall back to the virtual host's first VIP of the family.
 */
final class AdvertSource {

    private AdvertSource() {}

    static InetAddress choose(Family family, List<IfAddress> own, Collection<InetAddress> allVips,
                              List<InetAddress> hostVips) {
        for (IfAddress a : own) {
            if (familyOf(a.address()) != family || allVips.contains(a.address())) continue;
            if (family == Family.INET) return a.address();
            if (a.address().isLinkLocalAddress() && !a.tentative() && !a.dadFailed()) return a.address();
        }
        return hostVips.stream().filter(v -> familyOf(v) == family).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + family + " address to send from"));
    }

    static Family familyOf(InetAddress a) {
        return a instanceof Inet4Address ? Family.INET : Family.INET6;
    }
}
