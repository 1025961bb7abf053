package io.carpd.core.runtime;

import io.carpd.core.election.VhKey;
import io.carpd.core.linux.LinkInfo;
import io.carpd.core.linux.RtNetlink;

import java.util.Optional;

/**
 * VIPs through rtnetlink, by interface name (resolved at each call: an interface re-created by the
 * operator gets a new index). In virtual MAC mode the VIP interface is the VHID's macvlan, brought
 * up before the VIPs are added and down after they are removed.
 */
final class NetlinkAddresses implements AddressOps {

    private final RtNetlink netlink;
    private final VirtualMacs virtualMacs;

    /** @param virtualMacs the macvlans in virtual MAC mode, null in interface mode */
    NetlinkAddresses(RtNetlink netlink, VirtualMacs virtualMacs) {
        this.netlink = netlink;
        this.virtualMacs = virtualMacs;
    }

    @Override
    public void activate(VhKey key) {
        if (virtualMacs != null) virtualMacs.setUp(key, true);
    }

    @Override
    public void deactivate(VhKey key) {
        if (virtualMacs != null) virtualMacs.setUp(key, false);
    }

    @Override
    public boolean add(OwnedVip vip) {
        return netlink.addAddress(netlink.link(vip.iface()).index(), vip.address(), vip.prefixLength(), true);
    }

    @Override
    public boolean delete(OwnedVip vip) {
        Optional<LinkInfo> link = netlink.findLink(vip.iface());
        return link.isPresent() && netlink.deleteAddress(link.get().index(), vip.address(), vip.prefixLength());
    }
}
