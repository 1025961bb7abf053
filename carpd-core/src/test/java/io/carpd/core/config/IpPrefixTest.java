package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpd.core.wire.Family;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void parsesAndPrintsBothFamilies() {
        IpPrefix v4 = IpPrefix.parse("203.0.113.4/28");
        assertThat(v4.address()).isEqualTo(InetAddress.ofLiteral("203.0.113.4"));
        assertThat(v4.prefixLength()).isEqualTo(28);
        assertThat(v4.family()).isEqualTo(Family.INET);
        assertThat(v4).hasToString("203.0.113.4/28");

        IpPrefix v6 = IpPrefix.parse("2001:DB8:0:0:1:0:0:1/64");
        assertThat(v6.family()).isEqualTo(Family.INET6);
        assertThat(v6).hasToString("2001:db8::1:0:0:1/64");
        assertThat(IpPrefix.parse("::/0")).hasToString("::/0");
        assertThat(IpPrefix.parse("fe80::1/64")).hasToString("fe80::1/64");
        assertThat(IpPrefix.parse("2001:db8:0:1:1:1:1:1/64")).hasToString("2001:db8:0:1:1:1:1:1/64");
    }

    @Test
    void containsComparesTheFirstPrefixLengthBits() {
        IpPrefix p = IpPrefix.parse("203.0.113.4/28");
        assertThat(p.contains(InetAddress.ofLiteral("203.0.113.15"))).isTrue();
        assertThat(p.contains(InetAddress.ofLiteral("203.0.113.16"))).isFalse();
        assertThat(p.contains(InetAddress.ofLiteral("2001:db8::1"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.ofLiteral("2001:db8:7fff::1"))).isTrue();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.ofLiteral("2001:db8:8000::1"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("198.51.100.1"))).isTrue();
    }

    @Test
    void rejectsNamesShortFormsZonesAndMappedAddresses() {
        assertThatThrownBy(() -> IpPrefix.parse("localhost/8")).hasMessage("'localhost' is not an IP address");
        assertThatThrownBy(() -> IpPrefix.parse("10.1/8")).hasMessage("'10.1' is not an IP address");
        assertThatThrownBy(() -> IpPrefix.parse("fe80::1%eth0/64")).hasMessageContaining("zone ids");
        assertThatThrownBy(() -> IpPrefix.parse("::ffff:192.0.2.1/96")).hasMessageContaining("IPv4-mapped");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.1/x")).hasMessage("'192.0.2.1/x': prefix length must be 0..32");
        assertThatThrownBy(() -> new IpPrefix(InetAddress.ofLiteral("192.0.2.1"), 33))
                .hasMessage("prefix length 33 is out of range 0..32");
    }
}
