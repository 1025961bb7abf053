package io.carpd.core.linux;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnouncementsTest {
    private static final byte[] VMAC = HexFormat.ofDelimiter(":").parseHex("00:00:5e:00:01:07");

    @Test
    void gratuitousArpIsABroadcastRequestForTheVipFromTheGivenMac() throws Exception {
        byte[] f = new byte[100];
        Arrays.fill(f, (byte) 0x55);
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.100");
        int n = Announcements.gratuitousArp(f, VMAC, vip);

        assertThat(n).isEqualTo(60);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsOnly((byte) 0xff);
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(VMAC);
        assertThat(u16(f, 12)).isEqualTo(0x0806);
        assertThat(u16(f, 14)).isEqualTo(1);
        assertThat(u16(f, 16)).isEqualTo(0x0800);
        assertThat(f[18]).isEqualTo((byte) 6);
        assertThat(f[19]).isEqualTo((byte) 4);
        assertThat(u16(f, 20)).as("opcode").isEqualTo(1);
        assertThat(Arrays.copyOfRange(f, 22, 28)).isEqualTo(VMAC);
        assertThat(Arrays.copyOfRange(f, 28, 32)).isEqualTo(vip.getAddress());
        assertThat(Arrays.copyOfRange(f, 32, 38)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(f, 38, 42)).isEqualTo(vip.getAddress());
        assertThat(Arrays.copyOfRange(f, 42, 60)).as("padding").containsOnly((byte) 0);
    }

    @Test
    void unsolicitedNaHasOverrideHopLimit255AndAValidChecksum() throws Exception {
        byte[] f = new byte[Announcements.NA_LENGTH];
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8::100");
        int n = Announcements.unsolicitedNa(f, VMAC, vip);

        assertThat(n).isEqualTo(86);
        assertThat(HexFormat.of().formatHex(f, 0, 6)).isEqualTo("333300000001");
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(VMAC);
        assertThat(u16(f, 12)).isEqualTo(0x86dd);
        assertThat(u16(f, 18)).as("payload length").isEqualTo(32);
        assertThat(f[20]).as("next header").isEqualTo((byte) 58);
        assertThat(f[21] & 0xff).as("hop limit").isEqualTo(255);
        assertThat(Arrays.copyOfRange(f, 22, 38)).isEqualTo(vip.getAddress());
        assertThat(Arrays.copyOfRange(f, 38, 54)).isEqualTo(InetAddress.getByName("ff02::1").getAddress());
        assertThat(f[54] & 0xff).as("type").isEqualTo(136);
        assertThat(f[58] & 0xff).as("flags: override only").isEqualTo(0x20);
        assertThat(Arrays.copyOfRange(f, 62, 78)).as("target").isEqualTo(vip.getAddress());
        assertThat(f[78]).isEqualTo((byte) 2);
        assertThat(f[79]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(f, 80, 86)).isEqualTo(VMAC);
        assertThat(onesComplementSumWithPseudoHeader(f)).as("sum incl. checksum").isEqualTo(0xffff);
    }

    @Test
    void routerFlagIsAddedOnRequest() throws Exception {
        byte[] f = new byte[Announcements.NA_LENGTH];
        Announcements.unsolicitedNa(f, VMAC, (Inet6Address) InetAddress.getByName("2001:db8::1"), true);
        assertThat(f[58] & 0xff).isEqualTo(0xa0);
        assertThat(onesComplementSumWithPseudoHeader(f)).isEqualTo(0xffff);
    }

    @Test
    void checksumDependsOnTheAddresses() throws Exception {
        byte[] a = new byte[Announcements.NA_LENGTH];
        byte[] b = new byte[Announcements.NA_LENGTH];
        Announcements.unsolicitedNa(a, VMAC, (Inet6Address) InetAddress.getByName("2001:db8::100"));
        Announcements.unsolicitedNa(b, VMAC, (Inet6Address) InetAddress.getByName("2001:db8::101"));
        assertThat(u16(a, 56)).isNotEqualTo(u16(b, 56));
    }

    @Test
    void rejectsShortBuffersAndBadMacs() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.1");
        assertThatThrownBy(() -> Announcements.gratuitousArp(new byte[59], VMAC, vip))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("59");
        assertThatThrownBy(() -> Announcements.gratuitousArp(new byte[60], new byte[5], vip))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAC");
    }

    /** Independent RFC 4443 check: one's-complement sum of pseudo-header and message, as 32-bit words. */
    private static int onesComplementSumWithPseudoHeader(byte[] f) {
        byte[] pseudo = new byte[40 + 32];
        System.arraycopy(f, 22, pseudo, 0, 32);         // source + destination
        pseudo[35] = 32;                                 // upper-layer length (32-bit big-endian)
        pseudo[39] = 58;                                 // 3 zero bytes + next header
        System.arraycopy(f, 54, pseudo, 40, 32);
        long sum = 0;
        for (int i = 0; i < pseudo.length; i += 4) {
            sum += ((long) (pseudo[i] & 0xff) << 24) | ((pseudo[i + 1] & 0xff) << 16)
                    | ((pseudo[i + 2] & 0xff) << 8) | (pseudo[i + 3] & 0xff);
        }
        sum = (sum & 0xffffffffL) + (sum >>> 32);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
