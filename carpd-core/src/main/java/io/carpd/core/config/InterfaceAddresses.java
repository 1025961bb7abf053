package io.carpd.core.config;

import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;

/**
 * The addresses an interface of this host has, for the "VIP outside every subnet" warning.
 * An empty result means "unknown" (interface absent, not readable here) and skips the check.
 */
@FunctionalInterface
public interface InterfaceAddresses {

    Optional<List<IpPrefix>> of(String iface);

    /** A lookup that knows nothing: the subnet check is skipped. */
    static InterfaceAddresses unknown() {
        return iface -> Optional.empty();
    }

    /** What the JDK sees in the current network namespace (used by check-config). */
    static InterfaceAddresses fromJdk() {
        return iface -> {
            try {
                NetworkInterface nic = NetworkInterface.getByName(iface);
                if (nic == null) {
                    return Optional.empty();
                }
                return Optional.of(nic.getInterfaceAddresses().stream()
                        .map(InterfaceAddresses::toPrefix)
                        .toList());
            } catch (SocketException e) {
                return Optional.empty();
            }
        };
    }

    private static IpPrefix toPrefix(InterfaceAddress a) {
        return new IpPrefix(a.getAddress(), a.getNetworkPrefixLength());
    }
}
