package io.carpd.core.runtime;

import io.carpd.core.linux.IfAddress;
import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AdvertSourceTest {

    private static final int TENTATIVE = 0x40;
    private static final InetAddress VIP4 = InetAddress.ofLiteral("192.0.2.254");
    private static final InetAddress OTHER_VIP4 = InetAddress.ofLiteral("192.0.2.253");
    private static final InetAddress VIP6 = InetAddress.ofLiteral("2001:db8::254");

    private static IfAddress addr(String ip, int flags) {
        return new IfAddress(2, InetAddress.ofLiteral(ip), ip.contains(":") ? 64 : 24, flags, 0);
    }

    @Test
    void ipv4SourceIsTheFirstOwnAddressThatIsNoVipOfAnyHost() {
        List<IfAddress> own = List.of(addr("192.0.2.253", 0), addr("192.0.2.254", 0), addr("192.0.2.1", 0));

        assertThat(AdvertSource.choose(Family.INET, own, Set.of(VIP4, OTHER_VIP4), List.of(VIP4)))
                .isEqualTo(InetAddress.ofLiteral("192.0.2.1"));
    }

    @Test
    void ipv6SourceIsAUsableLinkLocalNotAGlobalAddress() {
        List<IfAddress> own = List.of(addr("2001:db8::1", 0), addr("fe80::1", TENTATIVE), addr("fe80::2", 0));

        assertThat(AdvertSource.choose(Family.INET6, own, Set.of(VIP6), List.of(VIP6)))
                .isEqualTo(InetAddress.ofLiteral("fe80::2"));
    }

    @Test
    void withoutAnOwnAddressTheHostsFirstVipOfTheFamilyIsUsed() {
        List<IfAddress> own = List.of(addr("192.0.2.254", 0), addr("2001:db8::1", 0));

        assertThat(AdvertSource.choose(Family.INET, own, Set.of(VIP4), List.of(VIP6, VIP4))).isEqualTo(VIP4);
        assertThat(AdvertSource.choose(Family.INET6, own, Set.of(VIP4), List.of(VIP6, VIP4))).isEqualTo(VIP6);
    }
}
