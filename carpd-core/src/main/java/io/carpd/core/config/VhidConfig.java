package io.carpd.core.config;

import io.carpd.core.election.VhKey;
import io.carpd.core.election.VirtualHostConfig;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One virtual host with the {@code defaults} section applied.
 *
 * @param iface      the interface (L2 segment) it runs on
 * @param vhid       1..255, unique per interface
 * @param addresses  VIPs with their prefix lengths, in file order
 * @param password   the HMAC password bytes as configured (the wire layer keeps the first 19)
 * @param peers      unicast peers; empty = multicast
 * @param groups     demotion groups besides the implicit "carp"
 */
public record VhidConfig(String iface, int vhid, List<IpPrefix> addresses, int advbase, int advskew, boolean preempt,
                         int deadRatio, MasterDownFormula masterDown, byte[] password, List<InetAddress> peers,
                         Set<String> groups) {

    public VhidConfig {
        addresses = List.copyOf(addresses);
        password = password.clone();
        peers = List.copyOf(peers);
        groups = Set.copyOf(groups);
    }

    /** A copy: callers cannot change the configured secret. */
    @Override
    public byte[] password() {
        return password.clone();
    }

    public VhKey key() {
        return new VhKey(iface, vhid);
    }

    public VirtualHostConfig toVirtualHostConfig() {
        boolean inet = addresses.stream().anyMatch(p -> p.address() instanceof Inet4Address);
        boolean inet6 = addresses.stream().anyMatch(p -> p.address() instanceof Inet6Address);
        return new VirtualHostConfig(vhid, advbase, advskew, preempt, deadRatio, masterDown, inet, inet6, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VhidConfig v
                && iface.equals(v.iface) && vhid == v.vhid && addresses.equals(v.addresses)
                && advbase == v.advbase && advskew == v.advskew && preempt == v.preempt
                && deadRatio == v.deadRatio && masterDown == v.masterDown
                && Arrays.equals(password, v.password) && peers.equals(v.peers) && groups.equals(v.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iface, vhid, addresses, advbase, advskew, preempt, deadRatio, masterDown,
                Arrays.hashCode(password), peers, groups);
    }

    /** Never prints the password: config objects end up in logs. */
    @Override
    public String toString() {
        return "VhidConfig[iface=" + iface + ", vhid=" + vhid + ", addresses=" + addresses + ", advbase=" + advbase
                + ", advskew=" + advskew + ", preempt=" + preempt + ", deadRatio=" + deadRatio
                + ", masterDown=" + masterDown + ", password=<" + password.length + " bytes>, peers="
                + peers.stream().map(IpLiteral::format).toList() + ", groups=" + groups + "]";
    }
}
