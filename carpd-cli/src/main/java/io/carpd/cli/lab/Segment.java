package io.carpd.cli.lab;

/** A layer-2 segment of the deployment; LAN and WAN are bridges in the switch, SYNC a direct veth. */
public enum Segment {
    LAN("lan", "192.0.2", 24),
    WAN("wan", "203.0.113", 28),
    SYNC("sync", "198.51.100", 30);

    private final String iface;
    private final String net;
    private final int prefixLength;

    Segment(String iface, String net, int prefixLength) {
        this.iface = iface;
        this.net = net;
        this.prefixLength = prefixLength;
    }

    /** Interface name of this segment inside every host attached to it. */
    public String iface() {
        return iface;
    }

    /** Host {@code host} of the segment's documentation network, without prefix length. */
    public String host(int host) {
        return net + "." + host;
    }

    /** Host {@code host} with the segment's prefix length. */
    public String cidr(int host) {
        return host(host) + "/" + prefixLength;
    }

    public String network() {
        return host(0) + "/" + prefixLength;
    }
}
