package io.carpd.core.config;

import io.carpd.core.wire.Family;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict IP address literals: never a DNS lookup, no legacy IPv4 short forms, no zone ids, and
 * RFC 5952 output so addresses print the way operators type them.
 */
public final class IpLiteral {
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

    /**
     * Parses a dotted-quad IPv4 or an IPv6 literal.
     *
     * @throws IllegalArgumentException with a message fit for an operator
     */
    public static InetAddress parse(String text) {
        String s = text.strip();
        if (s.indexOf(':') < 0) {
            if (!DOTTED_QUAD.matcher(s).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
            return Inet4Address.ofLiteral(s);
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("'" + text + "': zone ids (%iface) are not allowed; the interface comes from the config");
        }
        if (!IPV6_CHARS.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (!(a instanceof Inet6Address)) {
            // InetAddress folds ::ffff:a.b.c.d into IPv4, which would silently change the family.
            throw new IllegalArgumentException("'" + text + "': IPv4-mapped IPv6 addresses are not supported; write the IPv4 address");
        }
        return a;
    }

    public static Family family(InetAddress address) {
        return address instanceof Inet4Address ? Family.INET : Family.INET6;
    }

    /** Dotted quad for IPv4, RFC 5952 (lower case, longest zero run as "::") for IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
