package io.carpd.core.linux;

import io.carpd.core.config.IpLiteral;

import java.net.InetAddress;

/** One address on an interface, with the kernel's IFA_F_* flags and scope (0 global, 253 link, 254 host). */
public record IfAddress(int ifindex, InetAddress address, int prefixLength, int flags, int scope) {
    static final int IFA_F_NODAD = 0x02;
    static final int IFA_F_DADFAILED = 0x08;
    static final int IFA_F_TENTATIVE = 0x40;

    /** IPv6 address still in duplicate address detection: not usable as a source or for replies yet. */
    public boolean tentative() {
        return (flags & IFA_F_TENTATIVE) != 0;
    }

    public boolean dadFailed() {
        return (flags & IFA_F_DADFAILED) != 0;
    }

    public boolean nodad() {
        return (flags & IFA_F_NODAD) != 0;
    }

    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefixLength + " on #" + ifindex
                + (tentative() ? " tentative" : "") + (dadFailed() ? " dadfailed" : "") + (nodad() ? " nodad" : "");
    }
}
