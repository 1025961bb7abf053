package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TupleTest {
    @Test
    void flowsBetweenTwoHostsGetDistinctHashes() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.10");
        InetAddress b = InetAddress.getByName("203.0.113.10");
        Set<Integer> hashes = new HashSet<>();
        int n = 0;
        for (int sp = 20000; sp < 20300; sp++) {
            for (int dp = 30000; dp < 30300; dp++) {
                hashes.add(new ConnKey(0, Family.INET, Tuple.ports(a, b, Tuple.UDP, sp, dp)).hashCode());
                n++;
            }
        }
        // The record's default hash put these 90 000 keys on about 9 600 distinct values.
        assertThat(hashes.size()).isGreaterThan(n * 99 / 100);
    }

    @Test
    void lowBitsVaryWithTheSourcePortAlone() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.10");
        InetAddress b = InetAddress.getByName("203.0.113.10");
        int[] perShard = new int[2];
        int[] perBucket = new int[16];
        for (int sp = 1024; sp < 11024; sp++) {
            int h = new ConnKey(0, Family.INET, Tuple.ports(a, b, Tuple.TCP, sp, 443)).hashCode();
            perShard[Math.floorMod(h, 2)]++;
            perBucket[h & 15]++;
        }
        // Kernel writers are chosen by hash modulo their number: both must get work.
        assertThat(perShard[0]).isBetween(4500, 5500);
        for (int c : perBucket) {
            assertThat(c).isBetween(450, 800);
        }
    }

    @Test
    void equalityIsByValue() throws Exception {
        Tuple t = Tuple.ports(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("203.0.113.10"), Tuple.TCP, 1024, 443);
        Tuple same = Tuple.ports(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("203.0.113.10"), Tuple.TCP, 1024, 443);
        assertThat(same).isEqualTo(t).hasSameHashCodeAs(t);
        assertThat(Tuple.ports(t.src(), t.dst(), Tuple.UDP, 1024, 443)).isNotEqualTo(t);
        assertThat(Tuple.ports(t.src(), t.dst(), Tuple.TCP, 1025, 443)).isNotEqualTo(t);
        assertThat(Tuple.icmp(t.src(), t.dst(), Tuple.ICMP, 8, 0, 7)).isNotEqualTo(Tuple.icmp(t.src(), t.dst(), Tuple.ICMP, 8, 0, 8));
        assertThat(new ConnKey(1, Family.INET, t)).isNotEqualTo(new ConnKey(0, Family.INET, t));
        assertThat(new ConnKey(0, Family.INET, same)).isEqualTo(new ConnKey(0, Family.INET, t));
    }
}
