package io.carpd.core.linux;

import java.util.Map;

/** Errno values this package reacts to, and readable text for any errno. */
final class Errno {
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EADDRNOTAVAIL = 99;
    static final int ENOBUFS = 105;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"),
            Map.entry(EEXIST, "EEXIST"), Map.entry(ENODEV, "ENODEV"), Map.entry(22, "EINVAL"),
            Map.entry(34, "ERANGE"), Map.entry(93, "EPROTONOSUPPORT"), Map.entry(95, "EOPNOTSUPP"),
            Map.entry(97, "EAFNOSUPPORT"), Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"),
            Map.entry(100, "ENETDOWN"), Map.entry(ENOBUFS, "ENOBUFS"));

    private Errno() {
    }

    /** "File exists (EEXIST)": strerror text plus the symbolic name when known. */
    static String describe(int errno) {
        String name = NAMES.getOrDefault(errno, "errno " + errno);
        return Libc.strerror(errno) + " (" + name + ")";
    }
}
