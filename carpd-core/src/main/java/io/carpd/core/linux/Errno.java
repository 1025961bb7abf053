package io.carpd.core.linux;

import java.util.Map;

/** Errno values this package reacts to, and readable text for any errno. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOBUFS = 105;
    static final int EEXIST = 17;
    static final int EADDRNOTAVAIL = 99;
    static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENODEV, "ENODEV"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOBUFS, "ENOBUFS"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
            Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"), Map.entry(97, "EAFNOSUPPORT"),
            Map.entry(100, "ENETDOWN"), Map.entry(34, "ERANGE"), Map.entry(93, "EPROTONOSUPPORT"));

    private Errno() {
    }

    /** "File exists (EEXIST)" — strerror text plus the symbolic name when known. */
    static String describe(int errno) {
        String name = NAMES.getOrDefault(errno, "errno " + errno);
        return Libc.strerror(errno) + " (" + name + ")";
    }
}
