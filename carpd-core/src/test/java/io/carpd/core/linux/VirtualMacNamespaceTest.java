package io.carpd.core.linux;

import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual-MAC building blocks together, as the runtime uses them for a MASTER: a macvlan with
 * 00:00:5e:00:01:VHID on the parent holds the VIP, and the ARP sysctls make each interface answer
 * only for its own addresses, so a neighbour learns the virtual MAC for the VIP and the real MAC for
 * the parent's address.
 */
class VirtualMacNamespaceTest {
    private Netns fw;
    private Netns host;

    @BeforeEach
    void setUp() {
        Netns.assumeAvailable();
        fw = Netns.create("vmfw");
        host = Netns.create("vmh");
        Netns.veth(fw, "lan", host, "eth0");
        fw.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "lan");
        host.exec("ip", "addr", "add", "192.0.2.50/24", "dev", "eth0");
    }

    @AfterEach
    void tearDown() {
        Netns.closeAll(fw, host);
    }

    @Test
    void neighbourLearnsTheVirtualMacForTheVipAndTheRealMacForTheParent() throws Exception {
        byte[] vmac = HexFormat.of().parseHex("00005e000105");
        String parentMac = fw.call(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                LinkInfo lan = nl.link("lan");
                nl.createMacvlan("vh5", lan.index(), vmac, MacvlanMode.BRIDGE);
                int vh = nl.link("vh5").index();
                ArpSysctls sysctls = ArpSysctls.system();
                sysctls.configureForVirtualMac("lan");
                sysctls.configureForVirtualMac("vh5");
                nl.setLinkUp(vh, true);
                nl.addAddress(vh, InetAddress.getByName("192.0.2.100"), 24, false);
                return lan.macString();
            }
        });

        host.exec("ping", "-c", "1", "-W", "2", "192.0.2.100");
        host.exec("ping", "-c", "1", "-W", "2", "192.0.2.1");

        assertThat(host.exec("ip", "neigh", "show", "192.0.2.100", "dev", "eth0")).contains("00:00:5e:00:01:05");
        assertThat(host.exec("ip", "neigh", "show", "192.0.2.1", "dev", "eth0")).contains(parentMac);
    }
}
