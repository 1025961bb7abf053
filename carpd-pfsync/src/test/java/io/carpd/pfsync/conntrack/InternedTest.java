package io.carpd.pfsync.conntrack;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class InternedTest {
    @Test
    void equalAddressesAndTcpInfosShareOneInstance() throws Exception {
        byte[] raw = {(byte) 203, 0, 113, 4};
        InetAddress a = Interned.address(raw);
        raw[3] = 5; // the caller's array is not kept
        InetAddress b = Interned.address(new byte[] {(byte) 203, 0, 113, 4});
        assertThat(b).isSameAs(a).isEqualTo(InetAddress.getByName("203.0.113.4"));
        assertThat(Interned.address(raw)).isEqualTo(InetAddress.getByName("203.0.113.5")).isNotSameAs(a);
        InetAddress v6 = Interned.address(InetAddress.getByName("2001:db8::4").getAddress());
        assertThat(Interned.address(InetAddress.getByName("2001:db8::4").getAddress())).isSameAs(v6);
        TcpInfo t = Interned.tcp(new TcpInfo(TcpInfo.ESTABLISHED, 7, 7, 3, 3));
        assertThat(Interned.tcp(new TcpInfo(TcpInfo.ESTABLISHED, 7, 7, 3, 3))).isSameAs(t);
    }

    @Test
    void staysBoundedWhenEveryAddressIsNew() throws Exception {
        for (int i = 0; i < Interned.MAX_ENTRIES + 10; i++) {
            InetAddress a = Interned.address(new byte[] {(byte) 198, 51, (byte) (i >>> 8), (byte) i});
            assertThat(a.getAddress()).containsExactly((byte) 198, 51, (byte) (i >>> 8), (byte) i);
            assertThat(Interned.addressCount()).isLessThanOrEqualTo(Interned.MAX_ENTRIES);
        }
        byte[] first = {(byte) 198, 51, 0, 0};
        assertThat(Interned.address(first)).isSameAs(Interned.address(first));
    }
}
