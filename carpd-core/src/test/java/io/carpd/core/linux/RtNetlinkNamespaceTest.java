package io.carpd.core.linux;

import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RtNetlink against a real kernel, inside namespaces joined by a veth pair (a/eth0 — b/eth0). */
class RtNetlinkNamespaceTest {
    private static Netns a;
    private static Netns b;

    @BeforeAll
    static void setUp() {
        Netns.assumeAvailable();
        a = Netns.create("rta");
        b = Netns.create("rtb");
        Netns.veth(a, "eth0", b, "eth0");
    }

    @AfterAll
    static void tearDown() {
        Netns.closeAll(a, b);
    }

    private interface NlTask<T> {
        T run(RtNetlink nl) throws Exception;
    }

    private static boolean bool(NlTask<Boolean> task) throws Exception {
        return inA(task);
    }

    private static <T> T inA(NlTask<T> task) throws Exception {
        return a.call(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return task.run(nl);
            }
        });
    }

    @Test
    void linkLookupMatchesIpLink() throws Exception {
        String ipLink = a.exec("ip", "-o", "link", "show", "eth0");
        Matcher m = Pattern.compile("^(\\d+): eth0@\\S+ <([^>]*)> mtu (\\d+).*link/ether (\\S+)").matcher(ipLink);
        assertThat(m.find()).as(ipLink).isTrue();

        LinkInfo link = inA(nl -> nl.link("eth0"));

        assertThat(link.index()).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(link.name()).isEqualTo("eth0");
        assertThat(link.mtu()).isEqualTo(Integer.parseInt(m.group(3)));
        assertThat(link.macString()).isEqualTo(m.group(4));
        assertThat(link.up()).isTrue();
        assertThat(link.lowerUp()).isEqualTo(m.group(2).contains("LOWER_UP"));
        assertThat(RtNetlinkNamespaceTest.<Optional<LinkInfo>>inA(nl -> nl.findLink(link.index()))).contains(link);
        assertThat(RtNetlinkNamespaceTest.<List<LinkInfo>>inA(RtNetlink::links)).extracting(LinkInfo::name).contains("lo", "eth0");
    }

    @Test
    void missingInterfaceIsEmptyOrANamedError() throws Exception {
        assertThat(RtNetlinkNamespaceTest.<Optional<LinkInfo>>inA(nl -> nl.findLink("nope0"))).isEmpty();
        assertThatThrownBy(() -> inA(nl -> nl.link("nope0")))
                .isInstanceOf(LinuxIoException.class)
                .hasMessageContaining("nope0").hasMessageContaining("ENODEV");
    }

    @Test
    void addAndDeleteIpv4AndIpv6AddressesAreSeenByDumpAndIpAddr() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.10");
        InetAddress v6 = InetAddress.getByName("2001:db8::10");
        int index = inA(nl -> nl.link("eth0").index());

        assertThat(bool(nl -> nl.addAddress(index, v4, 24, false))).isTrue();
        assertThat(bool(nl -> nl.addAddress(index, v6, 64, true))).isTrue();
        assertThat(bool(nl -> nl.addAddress(index, v4, 24, false))).as("second add").isFalse();

        List<IfAddress> dump = inA(nl -> nl.addresses(index));
        assertThat(dump).anySatisfy(x -> {
            assertThat(x.address()).isEqualTo(v4);
            assertThat(x.prefixLength()).isEqualTo(24);
            assertThat(x.ifindex()).isEqualTo(index);
        });
        assertThat(dump).anySatisfy(x -> {
            assertThat(x.address()).isEqualTo(v6);
            assertThat(x.prefixLength()).isEqualTo(64);
        });
        String ipAddr = a.exec("ip", "addr", "show", "dev", "eth0");
        assertThat(ipAddr).contains("inet 192.0.2.10/24").contains("inet6 2001:db8::10/64");

        assertThat(bool(nl -> nl.deleteAddress(index, v4, 24))).isTrue();
        assertThat(bool(nl -> nl.deleteAddress(index, v6, 64))).isTrue();
        assertThat(bool(nl -> nl.deleteAddress(index, v4, 24))).as("second delete").isFalse();
        assertThat(RtNetlinkNamespaceTest.<List<IfAddress>>inA(nl -> nl.addresses(index))).extracting(IfAddress::address).doesNotContain(v4, v6);
        assertThat(a.exec("ip", "addr", "show", "dev", "eth0")).doesNotContain("192.0.2.10").doesNotContain("2001:db8::10/");
    }

    @Test
    void ipv6WithNodadIsUsableAtOnceWhileWithoutItIsTentative() throws Exception {
        InetAddress nodad = InetAddress.getByName("2001:db8::20");
        InetAddress dad = InetAddress.getByName("2001:db8::21");
        int index = inA(nl -> nl.link("eth0").index());
        try {
            inA(nl -> nl.addAddress(index, nodad, 64, true));
            inA(nl -> nl.addAddress(index, dad, 64, false));
            List<IfAddress> dump = inA(nl -> nl.addresses(index));
            IfAddress n = dump.stream().filter(x -> x.address().equals(nodad)).findFirst().orElseThrow();
            IfAddress d = dump.stream().filter(x -> x.address().equals(dad)).findFirst().orElseThrow();
            assertThat(n.nodad()).isTrue();
            assertThat(n.tentative()).isFalse();
            assertThat(d.tentative()).as("DAD runs for a plain add").isTrue();
            assertThat(a.exec("ip", "-6", "addr", "show", "dev", "eth0"))
                    .containsPattern("2001:db8::20/64 scope global nodad");
        } finally {
            inA(nl -> nl.deleteAddress(index, nodad, 64) | nl.deleteAddress(index, dad, 64));
        }
    }

    @Test
    void invalidPrefixAndMissingInterfaceAreRejectedWithContext() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.30");
        assertThatThrownBy(() -> inA(nl -> nl.addAddress(1, v4, 33, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33").hasMessageContaining("192.0.2.30");
        assertThatThrownBy(() -> inA(nl -> nl.addAddress(9999, v4, 24, false)))
                .isInstanceOf(LinuxIoException.class)
                .hasMessageContaining("192.0.2.30/24").hasMessageContaining("#9999").hasMessageContaining("ENODEV");
    }

    @Test
    void kernelReasonsAreIncludedInErrors() throws Exception {
        int index = inA(nl -> nl.link("eth0").index());
        assertThatThrownBy(() -> inA(nl -> nl.addAddress(index, InetAddress.getByName("ff02::5"), 64, true)))
                .isInstanceOf(LinuxIoException.class)
                .hasMessageContaining("cannot add ff02::5/64 to eth0 (#" + index + ")")
                .hasMessageContaining("kernel: ")
                .hasMessageContaining("EADDRNOTAVAIL");
    }

    @Test
    void neighbourLookupReturnsTheKernelEntryOrEmpty() throws Exception {
        a.exec("ip", "neigh", "replace", "192.0.2.77", "lladdr", "02:00:00:00:00:77", "dev", "eth0", "nud", "stale");
        a.exec("ip", "-6", "neigh", "replace", "2001:db8::77", "lladdr", "02:00:00:00:06:77", "dev", "eth0", "nud", "reachable");
        int index = inA(nl -> nl.link("eth0").index());

        Optional<byte[]> v4 = inA(nl -> nl.neighbour(index, InetAddress.getByName("192.0.2.77")));
        Optional<byte[]> v6 = inA(nl -> nl.neighbour(index, InetAddress.getByName("2001:db8::77")));
        Optional<byte[]> none = inA(nl -> nl.neighbour(index, InetAddress.getByName("192.0.2.78")));

        assertThat(v4).map(HexFormat.of()::formatHex).contains("020000000077");
        assertThat(v6).map(HexFormat.of()::formatHex).contains("020000000677");
        assertThat(none).isEmpty();
    }

    @Test
    void resolveNeighbourLearnsThePeersMacForIpv4AndIpv6() throws Exception {
        a.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "eth0");
        a.exec("ip", "addr", "add", "2001:db8::1/64", "dev", "eth0", "nodad");
        b.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        b.exec("ip", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
        String macB = b.call(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return nl.link("eth0").macString();
            }
        });
        int index = inA(nl -> nl.link("eth0").index());
        try {
            for (String peer : new String[] {"192.0.2.2", "2001:db8::2"}) {
                InetAddress addr = InetAddress.getByName(peer);
                assertThat(RtNetlinkNamespaceTest.<Optional<byte[]>>inA(nl -> nl.neighbour(index, addr))).as(peer).isEmpty();
                inA(nl -> {
                    nl.resolveNeighbour(index, addr);
                    return null;
                });
                Optional<byte[]> mac = Optional.empty();
                for (int i = 0; i < 60 && mac.isEmpty(); i++) { // up to 3 s: a lost probe is retried after 1 s
                    Thread.sleep(50);
                    mac = inA(nl -> nl.neighbour(index, addr));
                }
                assertThat(mac.map(m -> HexFormat.ofDelimiter(":").formatHex(m))).as(peer).contains(macB);
            }
        } finally {
            a.exec("ip", "addr", "flush", "dev", "eth0", "scope", "global");
            b.exec("ip", "addr", "flush", "dev", "eth0", "scope", "global");
        }
    }

    @Test
    void macvlanWithVirtualMacCanBeCreatedRaisedLoweredAndDeleted() throws Exception {
        byte[] vmac = HexFormat.ofDelimiter(":").parseHex("00:00:5e:00:01:2a");
        int parent = inA(nl -> nl.link("eth0").index());

        assertThat(bool(nl -> nl.createMacvlan("vh42", parent, vmac, MacvlanMode.BRIDGE))).isTrue();
        assertThat(bool(nl -> nl.createMacvlan("vh42", parent, vmac, MacvlanMode.BRIDGE))).as("exists").isFalse();
        String details = a.exec("ip", "-d", "link", "show", "vh42");
        assertThat(details).contains("00:00:5e:00:01:2a").contains("macvlan mode bridge").contains("vh42@eth0");

        LinkInfo created = inA(nl -> nl.link("vh42"));
        assertThat(created.up()).isFalse();
        assertThat(created.mac()).isEqualTo(vmac);
        inA(nl -> {
            nl.setLinkUp(created.index(), true);
            return null;
        });
        assertThat(bool(nl -> nl.link("vh42").up())).isTrue();
        assertThat(a.exec("ip", "-o", "link", "show", "vh42")).containsPattern("<[^>]*\\bUP\\b");
        inA(nl -> {
            nl.setLinkUp(created.index(), false);
            return null;
        });
        assertThat(bool(nl -> nl.link("vh42").up())).isFalse();

        assertThat(bool(nl -> nl.deleteLink("vh42"))).isTrue();
        assertThat(bool(nl -> nl.deleteLink("vh42"))).isFalse();
        assertThat(a.run("ip", "link", "show", "vh42").exitCode()).isNotZero();
    }

    @Test
    void privateMacvlanModeIsPassedToTheKernel() throws Exception {
        int parent = inA(nl -> nl.link("eth0").index());
        try {
            inA(nl -> nl.createMacvlan("vh43", parent, HexFormat.of().parseHex("00005e00012b"), MacvlanMode.PRIVATE));
            assertThat(a.exec("ip", "-d", "link", "show", "vh43")).contains("macvlan mode private");
        } finally {
            inA(nl -> nl.deleteLink("vh43"));
        }
    }

    @Test
    void arpSysctlsAreWrittenPerInterfaceInTheThreadsNamespace() throws Exception {
        a.call(() -> {
            ArpSysctls.system().configureForVirtualMac("eth0");
            return null;
        });
        assertThat(a.exec("cat", "/proc/sys/net/ipv4/conf/eth0/arp_ignore").trim()).isEqualTo("1");
        assertThat(a.exec("cat", "/proc/sys/net/ipv4/conf/eth0/arp_announce").trim()).isEqualTo("2");
        assertThat(b.exec("cat", "/proc/sys/net/ipv4/conf/eth0/arp_ignore").trim()).as("other namespace").isEqualTo("0");
        assertThat(a.call(() -> ArpSysctls.system().read("eth0", "arp_ignore"))).isEqualTo(1);
        assertThatThrownBy(() -> ArpSysctls.system().write("../all", "arp_ignore", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.call(() -> {
            ArpSysctls.system().write("nope0", "arp_ignore", 1);
            return null;
        })).isInstanceOf(LinuxIoException.class).hasMessageContaining("nope0").hasMessageContaining("arp_ignore");
    }
}
