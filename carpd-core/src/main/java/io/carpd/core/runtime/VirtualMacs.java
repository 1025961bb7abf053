package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import io.carpd.core.linux.ArpSysctls;
import io.carpd.core.linux.LinkInfo;
import io.carpd.core.linux.MacvlanMode;
import io.carpd.core.linux.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Virtual MAC mode (spec §9): one macvlan per VHID with the CARP MAC 00:00:5e:00:01:VHID carries
 * the VIPs. It is up only while MASTER, since a BACKUP's up macvlan would send link-local, DAD and
 * MLD traffic that teaches the switch the virtual MAC on the wrong port.
 */
final class VirtualMacs {

    private static final Logger log = LoggerFactory.getLogger(VirtualMacs.class);

    private final RtNetlink netlink;
    private final ArpSysctls sysctls;
    private final Map<VhKey, String> names = new LinkedHashMap<>();

    VirtualMacs(RtNetlink netlink, ArpSysctls sysctls) {
        this.netlink = netlink;
        this.sysctls = sysctls;
    }

    /** 00:00:5e:00:01:VHID. */
    static byte[] mac(int vhid) {
        return new byte[] {0x00, 0x00, 0x5e, 0x00, 0x01, (byte) vhid};
    }

    /** "cv2.lan", or "cv2.i7" (parent ifindex) when the parent's name is too long for IFNAMSIZ. */
    static String macvlanName(VhKey key, int parentIndex) {
        String name = "cv" + key.vhid() + "." + key.iface();
        return name.length() <= 15 ? name : "cv" + key.vhid() + ".i" + parentIndex;
    }

    /** Creates the (down) macvlan of {@code key} on {@code parent}, replacing one a crashed run left. */
    String create(VhKey key, LinkInfo parent) {
        String name = macvlanName(key, parent.index());
        if (netlink.deleteLink(name)) log.warn("{}: removed stale macvlan {}", key, name);
        netlink.createMacvlan(name, parent.index(), mac(key.vhid()), MacvlanMode.BRIDGE);
        sysctls.configureForVirtualMac(parent.name());
        sysctls.configureForVirtualMac(name);
        names.put(key, name);
        return name;
    }

    void setUp(VhKey key, boolean up) {
        String name = names.get(key);
        if (name == null) throw new IllegalStateException("no macvlan for " + key);
        netlink.setLinkUp(netlink.link(name).index(), up);
    }

    /** Deletes the macvlan of {@code key} (reload removed the VHID). */
    void delete(VhKey key) {
        String name = names.remove(key);
        if (name != null) netlink.deleteLink(name);
    }

    /** Deletes every macvlan this run created (their addresses go with them). */
    void deleteAll() {
        for (var e : names.entrySet()) {
            try {
                netlink.deleteLink(e.getValue());
            } catch (RuntimeException ex) {
                log.error("{}: cannot delete macvlan {}: {}", e.getKey(), e.getValue(), ex.getMessage());
            }
        }
        names.clear();
    }
}
