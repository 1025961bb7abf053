package io.carpd.core.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls this package needs, bound with FFM. Calls that can fail return the kernel
 * convention: a non-negative result, or {@code -errno} (captured with {@code captureCallState},
 * the only reliable way to read errno from Java).
 */
final class Libc {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IP_ADD_MEMBERSHIP = 35;
    static final int IPV6_ADD_MEMBERSHIP = 20;
    static final int EFD_CLOEXEC = 0x80000;
    static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = errnoCall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = errnoCall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = errnoCall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = errnoCall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IF_NAMETOINDEX = errnoCall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = errnoCall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = plainCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = plainCall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, ERRNO);
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd);
    }

    private static int lastErrno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    private static int intResult(int r, MemorySegment state) {
        return r >= 0 ? r : -lastErrno(state);
    }

    private static long longResult(long r, MemorySegment state) {
        return r >= 0 ? r : -lastErrno(state);
    }

    static int socket(int domain, int type, int protocol) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockname(int fd, MemorySegment addr, MemorySegment lenInOut) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) GETSOCKNAME.invokeExact(st, fd, addr, lenInOut), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bind(int fd, MemorySegment addr) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) BIND.invokeExact(st, fd, addr, (int) addr.byteSize()), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sendto(int fd, MemorySegment buf, long len, MemorySegment addr) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return longResult((long) SENDTO.invokeExact(st, fd, buf, len, 0, addr, (int) addr.byteSize()), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recv(int fd, MemorySegment buf, int flags) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return longResult((long) RECV.invokeExact(st, fd, buf, buf.byteSize(), flags), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockopt(int fd, int level, int name, MemorySegment value) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) SETSOCKOPT.invokeExact(st, fd, level, name, value, (int) value.byteSize()), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockoptInt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setsockopt(fd, level, name, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /** An int socket option's value, or -errno. */
    static int getsockoptInt(int fd, int level, int name) {
        MemorySegment st = CAPTURE_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocateFrom(JAVA_INT, 4);
            int r = intResult((int) GETSOCKOPT.invokeExact(st, fd, level, name, v, len), st);
            return r < 0 ? r : v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) on {@code fds.length} descriptors for POLLIN; returns a bitmask of readable ones or -errno. */
    static int pollIn(int[] fds, int timeoutMillis) {
        MemorySegment st = CAPTURE_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfds = arena.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pfds.set(JAVA_INT, 8L * i, fds[i]);
                pfds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
            }
            int r = intResult((int) POLL.invokeExact(st, pfds, (long) fds.length, timeoutMillis), st);
            if (r < 0) {
                return r;
            }
            int mask = 0;
            for (int i = 0; i < fds.length; i++) {
                if (pfds.get(ValueLayout.JAVA_SHORT, 8L * i + 6) != 0) {
                    mask |= 1 << i;
                }
            }
            return mask;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int eventfd() {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds 1 to an eventfd counter, waking whoever polls it. */
    static long signalEventfd(int fd) {
        MemorySegment st = CAPTURE_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            return longResult((long) WRITE.invokeExact(st, fd, one, 8L), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Index of the named interface in the calling thread's network namespace, or -errno. */
    static int ifNameToIndex(String name) {
        MemorySegment st = CAPTURE_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) IF_NAMETOINDEX.invokeExact(st, arena.allocateFrom(name));
            return r > 0 ? r : -lastErrno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open(2) read-only, close-on-exec; the fd or -errno. */
    static int openReadOnly(String path) {
        MemorySegment st = CAPTURE_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            return intResult((int) OPEN.invokeExact(st, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setns(2) of the calling thread; 0 or -errno. */
    static int setns(int fd, int nstype) {
        MemorySegment st = CAPTURE_STATE.get();
        try {
            return intResult((int) SETNS.invokeExact(st, fd, nstype), st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
