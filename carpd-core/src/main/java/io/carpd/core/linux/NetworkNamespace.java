package io.carpd.core.linux;

/**
 * Moves the calling thread into a named network namespace (one made by {@code ip netns add},
 * bound at /run/netns/NAME). Network namespaces are per thread: sockets opened afterwards belong
 * to that namespace for their whole life, whichever thread uses them, and threads started from
 * this one inherit it. The rest of the JVM stays where it is. Used by the lab and the tests.
 */
public final class NetworkNamespace {
    private NetworkNamespace() {
    }

    public static void enter(String name) {
        String path = "/run/netns/" + name;
        int fd = Libc.openReadOnly(path);
        if (fd < 0) {
            throw new LinuxIoException("cannot open " + path, -fd);
        }
        try {
            int r = Libc.setns(fd, Libc.CLONE_NEWNET);
            if (r < 0) {
                throw new LinuxIoException("setns into network namespace " + name + " failed", -r);
            }
        } finally {
            Libc.close(fd);
        }
    }
}
