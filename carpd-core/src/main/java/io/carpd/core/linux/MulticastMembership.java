package io.carpd.core.linux;

import io.carpd.core.wire.AdvertEncoder;
import io.carpd.core.wire.Family;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the interface's memberships of the CARP groups 224.0.0.18 and ff02::12 through two plain
 * datagram sockets (IP_ADD_MEMBERSHIP with ip_mreqn / IPV6_ADD_MEMBERSHIP by ifindex). Joining through
 * the IP stack, rather than only adding the MAC to the device's filter, makes the kernel send IGMP and
 * MLD reports, which snooping switches and Linux bridges (they snoop ff02::12, unlike 224.0.0.x) need to
 * forward adverts to us. The sockets never read: they exist only to keep the memberships alive; by
 * ifindex so no IPv4 address is needed on the interface.
 */
final class MulticastMembership implements AutoCloseable {
    private static final byte[] CARP_V4 = AdvertEncoder.group(Family.INET).getAddress();
    private static final byte[] CARP_V6 = AdvertEncoder.group(Family.INET6).getAddress();

    private final List<Integer> fds;
    private final List<String> failures;

    private MulticastMembership(List<Integer> fds, List<String> failures) {
        this.fds = fds;
        this.failures = failures;
    }

    /** Joins both groups on {@code ifindex}; a family that cannot join (e.g. IPv6 disabled) is reported in {@link #failures()}. */
    static MulticastMembership join(String ifname, int ifindex) {
        List<Integer> fds = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mreqn = a.allocate(12, 4);
            mreqn.asSlice(0, 4).copyFrom(MemorySegment.ofArray(CARP_V4));
            mreqn.set(ValueLayout.JAVA_INT, 8, ifindex);
            joinOne(Libc.AF_INET, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, mreqn, "224.0.0.18 on " + ifname, fds, failures);
            MemorySegment mreq6 = a.allocate(20, 4);
            mreq6.asSlice(0, 16).copyFrom(MemorySegment.ofArray(CARP_V6));
            mreq6.set(ValueLayout.JAVA_INT, 16, ifindex);
            joinOne(Libc.AF_INET6, Libc.IPPROTO_IPV6, Libc.IPV6_ADD_MEMBERSHIP, mreq6, "ff02::12 on " + ifname, fds, failures);
        }
        return new MulticastMembership(fds, failures);
    }

    private static void joinOne(int family, int level, int option, MemorySegment request, String what,
                                List<Integer> fds, List<String> failures) {
        int fd = Libc.socket(family, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            failures.add("cannot join " + what + ": " + Errno.describe(-fd));
            return;
        }
        int r = Libc.setsockopt(fd, level, option, request);
        if (r < 0) {
            Libc.close(fd);
            failures.add("cannot join " + what + ": " + Errno.describe(-r));
            return;
        }
        fds.add(fd);
    }

    /** Human-readable reasons for groups that could not be joined; empty when both are joined. */
    List<String> failures() {
        return failures;
    }

    @Override
    public void close() {
        fds.forEach(Libc::close);
        fds.clear();
    }
}
