package io.carpd.core.runtime;

import io.carpd.core.config.IpLiteral;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A virtual IP this node adds to an interface while MASTER, as recorded in the owned-VIP file.
 *
 * @param iface        interface the address lives on (the parent, or the macvlan in virtual MAC mode)
 * @param address      the VIP
 * @param prefixLength its prefix length
 */
public record OwnedVip(String iface, InetAddress address, int prefixLength) {

    public OwnedVip {
        if (iface == null || iface.isBlank() || iface.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad interface name: '" + iface + "'");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + max);
        }
    }

    /** Parses the file form {@code "lan 192.0.2.254/24"}; IP literals only, never a name lookup. */
    public static OwnedVip parse(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2) throw new IllegalArgumentException("expected '<interface> <address>/<prefix>'");
        int slash = parts[1].lastIndexOf('/');
        if (slash < 0) throw new IllegalArgumentException("missing /prefix in '" + parts[1] + "'");
        InetAddress address = InetAddress.ofLiteral(parts[1].substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1].substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + parts[1] + "'");
        }
        return new OwnedVip(parts[0], address, prefix);
    }

    /** The CIDR form of the address, e.g. {@code 192.0.2.254/24}. */
    public String cidr() {
        return IpLiteral.format(address) + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return iface + " " + cidr();
    }
}
