package io.carpd.core.linux;

import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames sent through pcap in namespace a arrive at pcap and at the kernel in namespace b. */
class PacketPortNamespaceTest {
    private static final HexFormat MAC = HexFormat.ofDelimiter(":");
    private static Netns a;
    private static Netns b;
    private static byte[] macA;
    private static PacketPort portA;
    private static PacketPort portB;
    private static final BlockingQueue<byte[]> receivedA = new LinkedBlockingQueue<>();
    private static final BlockingQueue<byte[]> receivedB = new LinkedBlockingQueue<>();

    @BeforeAll
    static void setUp() throws Exception {
        Netns.assumeAvailable();
        a = Netns.create("ppa");
        b = Netns.create("ppb");
        Netns.veth(a, "eth0", b, "eth0");
        b.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        b.exec("ip", "-6", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
        macA = a.call(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return nl.link("eth0").mac();
            }
        });
        portA = a.call(() -> PacketPort.open("eth0"));
        portB = b.call(() -> PacketPort.open("eth0"));
        portA.startCapture((f, n) -> receivedA.add(Arrays.copyOf(f, n)));
        portB.startCapture((f, n) -> receivedB.add(Arrays.copyOf(f, n)));
    }

    @AfterAll
    static void tearDown() {
        try {
            if (portA != null) {
                portA.close();
            }
            if (portB != null) {
                portB.close();
            }
        } finally {
            Netns.closeAll(a, b);
        }
    }

    @Test
    void ipv4AndIpv6Protocol112FramesReachThePeerButNotTheSender() throws Exception {
        receivedA.clear();
        receivedB.clear();
        byte[] v4 = ipv4Frame(112, (byte) 0x41);
        byte[] v6 = ipv6Frame(112, (byte) 0x61);
        long sentBefore = portA.framesSent();

        assertThat(portA.send(v4, v4.length)).isTrue();
        assertThat(portA.send(v6, v6.length)).isTrue();

        assertThat(receivedB.poll(3, TimeUnit.SECONDS)).isEqualTo(v4);
        assertThat(receivedB.poll(3, TimeUnit.SECONDS)).isEqualTo(v6);
        assertThat(portA.framesSent() - sentBefore).isEqualTo(2);
        assertThat(portA.sendErrors()).isZero();
        assertThat(portB.kernelDrops()).isZero();
        // The peer answers nothing on protocol 112, so anything a captured would be its own frames.
        assertThat(receivedA.poll(300, TimeUnit.MILLISECONDS)).as("own frame captured").isNull();
    }

    @Test
    void outgoingFramesOfOtherSocketsOnTheHostAreNotCaptured() throws Exception {
        // A packet socket never sees its own injections; direction IN also hides what other sockets
        // of the host send (a second daemon instance, a raw socket), which INOUT would show.
        receivedA.clear();
        receivedB.clear();
        byte[] frame = ipv4Frame(112, (byte) 0x43);
        try (PacketPort other = a.call(() -> PacketPort.open("eth0"))) {
            assertThat(other.send(frame, frame.length)).isTrue();
            assertThat(receivedB.poll(3, TimeUnit.SECONDS)).isEqualTo(frame);
            assertThat(receivedA.poll(300, TimeUnit.MILLISECONDS)).as("outgoing frame captured").isNull();
        }
    }

    @Test
    void framesOfOtherProtocolsAreFilteredOut() throws Exception {
        receivedB.clear();
        byte[] udp = ipv4Frame(17, (byte) 0x11);
        byte[] carp = ipv4Frame(112, (byte) 0x42);
        portA.send(udp, udp.length);
        portA.send(carp, carp.length);
        // veth keeps order: the protocol-112 frame arriving first proves the UDP frame was not delivered.
        assertThat(receivedB.poll(3, TimeUnit.SECONDS)).isEqualTo(carp);
    }

    @Test
    void openingAMissingInterfaceNamesIt() {
        assertThatThrownBy(() -> a.call(() -> PacketPort.open("nope0")))
                .isInstanceOf(LinuxIoException.class).hasMessageContaining("nope0").hasMessageContaining("ENODEV");
    }

    @Test
    void theInterfaceJoinsBothCarpGroupsWhileOpen() {
        String groups = a.exec("ip", "maddr", "show", "dev", "eth0");
        assertThat(groups).contains("01:00:5e:00:00:12").contains("224.0.0.18")
                .contains("33:33:00:00:00:12").contains("ff02::12");
        assertThat(portA.membershipFailures()).isEmpty();
    }

    @Test
    void closingStopsCaptureAndLeavesTheGroups() throws Exception {
        Netns c = Netns.create("ppc");
        try {
            c.exec("ip", "link", "add", "br0", "type", "bridge");
            c.exec("ip", "link", "set", "br0", "up");
            PacketPort port = c.call(() -> PacketPort.open("br0"));
            port.startCapture((f, n) -> { });
            assertThat(c.exec("ip", "maddr", "show", "dev", "br0")).contains("224.0.0.18");

            port.close();

            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().equals("carpd-pcap-br0"));
            String after = c.exec("ip", "maddr", "show", "dev", "br0");
            assertThat(after).doesNotContain("224.0.0.18").doesNotContain("ff02::12");
        } finally {
            c.close();
        }
    }

    @Test
    void captureSurvivesTheInterfaceGoingDownAndUpAndSendOnADownLinkIsCounted() throws Exception {
        Netns x = Netns.create("ppx");
        Netns y = Netns.create("ppy");
        try {
            Netns.veth(x, "eth0", y, "eth0");
            BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
            try (PacketPort sender = x.call(() -> PacketPort.open("eth0"));
                 PacketPort receiver = y.call(() -> PacketPort.open("eth0"))) {
                receiver.startCapture((f, n) -> got.add(Arrays.copyOf(f, n)));
                byte[] before = ipv4Frame(112, (byte) 1);
                sender.send(before, before.length);
                assertThat(got.poll(3, TimeUnit.SECONDS)).isEqualTo(before);

                y.exec("ip", "link", "set", "eth0", "down");
                x.exec("ip", "link", "set", "eth0", "down");
                assertThat(sender.send(before, before.length)).as("send on a down link").isFalse();
                assertThat(sender.sendErrors()).isEqualTo(1);
                assertThat(sender.lastError()).contains("eth0");
                y.exec("ip", "link", "set", "eth0", "up");
                x.exec("ip", "link", "set", "eth0", "up");

                byte[] after = ipv4Frame(112, (byte) 2);
                byte[] received = null;
                for (int i = 0; i < 30 && received == null; i++) { // carrier takes a moment to return
                    sender.send(after, after.length);
                    received = got.poll(100, TimeUnit.MILLISECONDS);
                }
                assertThat(received).isEqualTo(after);
            }
        } finally {
            Netns.closeAll(x, y);
        }
    }

    @Test
    void gratuitousArpRepointsThePeersNeighbourEntry() throws Exception {
        b.exec("ip", "neigh", "replace", "192.0.2.100", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud", "stale");
        byte[] vmac = MAC.parseHex("00:00:5e:00:01:07");
        byte[] frame = new byte[Announcements.GARP_LENGTH];
        int n = Announcements.gratuitousArp(frame, vmac, (Inet4Address) InetAddress.getByName("192.0.2.100"));

        assertThat(portA.send(frame, n)).isTrue();

        assertThat(eventually(() -> b.exec("ip", "neigh", "show", "192.0.2.100", "dev", "eth0"), "00:00:5e:00:01:07"))
                .contains("00:00:5e:00:01:07");
    }

    @Test
    void unsolicitedNaIsAcceptedByThePeerKernelAndACorruptOneIsNot() throws Exception {
        b.exec("ip", "-6", "neigh", "replace", "2001:db8::100", "lladdr", "02:00:00:00:00:98", "dev", "eth0", "nud", "stale");
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8::100");
        byte[] corrupt = new byte[Announcements.NA_LENGTH];
        Announcements.unsolicitedNa(corrupt, MAC.parseHex("00:00:5e:00:01:66"), vip);
        corrupt[57] ^= 0x01; // checksum low byte

        portA.send(corrupt, corrupt.length);
        Thread.sleep(300);
        assertThat(b.exec("ip", "-6", "neigh", "show", "2001:db8::100", "dev", "eth0"))
                .as("NA with bad checksum must be dropped").contains("02:00:00:00:00:98");

        byte[] frame = new byte[Announcements.NA_LENGTH];
        int n = Announcements.unsolicitedNa(frame, MAC.parseHex("00:00:5e:00:01:07"), vip);
        portA.send(frame, n);
        assertThat(eventually(() -> b.exec("ip", "-6", "neigh", "show", "2001:db8::100", "dev", "eth0"), "00:00:5e:00:01:07"))
                .contains("00:00:5e:00:01:07");
    }

    private static String eventually(Supplier<String> probe, String expected) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 30; i++) {
            last = probe.get();
            if (last.contains(expected)) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }

    /** A minimal IPv4 frame to 224.0.0.18 with a 36-byte payload starting with {@code marker}. */
    private static byte[] ipv4Frame(int protocol, byte marker) {
        byte[] f = new byte[14 + 20 + 36];
        System.arraycopy(MAC.parseHex("01:00:5e:00:00:12"), 0, f, 0, 6);
        System.arraycopy(macA, 0, f, 6, 6);
        f[12] = 0x08;
        f[14] = 0x45;
        f[17] = 56;
        f[20] = 0x40;
        f[22] = (byte) 255;
        f[23] = (byte) protocol;
        f[26] = (byte) 192;
        f[28] = 1;
        f[29] = (byte) 200;
        f[30] = (byte) 224;
        f[33] = 18;
        long sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        f[24] = (byte) (~sum >>> 8);
        f[25] = (byte) ~sum;
        f[34] = marker;
        return f;
    }

    /** A minimal IPv6 frame to ff02::12 with a 36-byte payload starting with {@code marker}. */
    private static byte[] ipv6Frame(int nextHeader, byte marker) throws Exception {
        byte[] f = new byte[14 + 40 + 36];
        System.arraycopy(MAC.parseHex("33:33:00:00:00:12"), 0, f, 0, 6);
        System.arraycopy(macA, 0, f, 6, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        f[14] = 0x60;
        f[19] = 36;
        f[20] = (byte) nextHeader;
        f[21] = (byte) 255;
        System.arraycopy(InetAddress.getByName("fe80::1").getAddress(), 0, f, 22, 16);
        System.arraycopy(InetAddress.getByName("ff02::12").getAddress(), 0, f, 38, 16);
        f[54] = marker;
        return f;
    }
}
