package io.carpd.core.linux;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * State of one network interface as rtnetlink reports it. {@code flags} are the kernel's IFF_* bits;
 * a deleted interface is reported with flags 0 (down, no carrier).
 */
public record LinkInfo(int index, String name, byte[] mac, int flags, int mtu) {
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_LOWER_UP = 0x10000;

    public LinkInfo {
        mac = mac == null ? new byte[0] : mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** Administratively up (IFF_UP). */
    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    /** Carrier present (IFF_LOWER_UP). */
    public boolean lowerUp() {
        return (flags & IFF_LOWER_UP) != 0;
    }

    /** Operationally up (IFF_RUNNING): up, carrier, and not dormant. */
    public boolean running() {
        return (flags & IFF_RUNNING) != 0;
    }

    /** Whether CARP can run here: administratively up with carrier. */
    public boolean usable() {
        return up() && lowerUp();
    }

    public String macString() {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkInfo l && index == l.index && flags == l.flags && mtu == l.mtu
                && name.equals(l.name) && Arrays.equals(mac, l.mac);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * index + name.hashCode()) + Arrays.hashCode(mac) + flags;
    }

    @Override
    public String toString() {
        return name + "(#" + index + ", " + macString() + ", " + (up() ? "UP" : "DOWN")
                + (lowerUp() ? ",LOWER_UP" : ",NO-CARRIER") + ", mtu " + mtu + ")";
    }
}
