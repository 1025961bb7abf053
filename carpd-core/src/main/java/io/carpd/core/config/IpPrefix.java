package io.carpd.core.config;

import io.carpd.core.wire.Family;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with its prefix length, e.g. the VIP {@code 203.0.113.4/28}. Host bits are kept: the
 * address is the VIP itself, the length is the subnet it is added with.
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = maxLength(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.." + max);
        }
    }

    /**
     * Parses {@code address/length}; the length is mandatory.
     *
     * @throws IllegalArgumentException with a message fit for an operator
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (write e.g. " + text.strip() + "/24)");
        }
        InetAddress address = IpLiteral.parse(text.substring(0, slash));
        String len = text.substring(slash + 1).strip();
        int max = maxLength(address);
        if (!len.matches("[0-9]{1,3}") || Integer.parseInt(len) > max) {
            throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + max);
        }
        return new IpPrefix(address, Integer.parseInt(len));
    }

    public Family family() {
        return IpLiteral.family(address);
    }

    /** True when {@code other} is of the same family and shares the first {@code prefixLength} bits. */
    public boolean contains(InetAddress other) {
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefixLength;
    }

    private static int maxLength(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }
}
