package io.carpd.cli.lab;

/** The two virtual addresses of the reference deployment and the segment each lives on. */
public enum LabVip {
    WAN(1, Segment.WAN, "203.0.113.4", 28),
    LAN(2, Segment.LAN, "192.0.2.254", 24);

    private final int vhid;
    private final Segment segment;
    private final String address;
    private final int prefixLength;

    LabVip(int vhid, Segment segment, String address, int prefixLength) {
        this.vhid = vhid;
        this.segment = segment;
        this.address = address;
        this.prefixLength = prefixLength;
    }

    public int vhid() {
        return vhid;
    }

    public Segment segment() {
        return segment;
    }

    /** Interface name carrying this VIP inside the firewalls. */
    public String iface() {
        return segment.iface();
    }

    public String address() {
        return address;
    }

    /** {@code address/prefix}, as {@code ip -j addr} and the config show it. */
    public String cidr() {
        return address + "/" + prefixLength;
    }
}
