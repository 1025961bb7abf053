package io.carpd.core.linux;

import io.carpd.core.config.InterfaceName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-interface IPv4 ARP sysctls for virtual-MAC mode (carp.md §9): with the VIP on a macvlan, the
 * parent and the macvlan must each answer ARP only for addresses configured on themselves
 * ({@code arp_ignore=1}) and pick the best local source for their own requests ({@code arp_announce=2}),
 * otherwise the parent answers for the VIP with its own MAC or the macvlan for the parent's addresses
 * with the virtual MAC. /proc/sys/net shows the namespace of the thread that opens the file.
 */
public final class ArpSysctls {
    private final Path confRoot;

    /** {@code confRoot} is normally /proc/sys/net/ipv4/conf; tests may point elsewhere. */
    public ArpSysctls(Path confRoot) {
        this.confRoot = confRoot;
    }

    public static ArpSysctls system() {
        return new ArpSysctls(Path.of("/proc/sys/net/ipv4/conf"));
    }

    /** Applies arp_ignore=1 and arp_announce=2 to {@code iface}. */
    public void configureForVirtualMac(String iface) {
        write(iface, "arp_ignore", 1);
        write(iface, "arp_announce", 2);
    }

    public void write(String iface, String key, int value) {
        Path file = file(iface, key);
        try {
            Files.writeString(file, Integer.toString(value));
        } catch (IOException e) {
            throw new LinuxIoException("cannot set " + key + "=" + value + " on " + iface + " (" + file + ")", e);
        }
    }

    public int read(String iface, String key) {
        Path file = file(iface, key);
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new LinuxIoException("cannot read " + key + " of " + iface + " (" + file + ")", e);
        }
    }

    private Path file(String iface, String key) {
        // Names come from configuration: keep "..", "/" and friends out of the path.
        if (!InterfaceName.isValid(iface)) {
            throw new IllegalArgumentException("invalid interface name '" + iface + "'");
        }
        return confRoot.resolve(iface).resolve(key);
    }
}
