package io.carpd.pfsync.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_NETLINK socket bound through FFM. Not thread-safe: one reader thread per socket. Receive
 * is bounded by poll(2) so a reader can notice {@link #close()} without signals. Failures come back
 * as {@link NetlinkException} carrying the errno, because callers react to specific ones (ENOBUFS
 * means lost events, EEXIST on create means "update instead").
 */
public final class NlSocket implements AutoCloseable {
    public static final int NETLINK_NETFILTER = 12;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int MSG_TRUNC = 0x20;
    private static final int EINTR = 4;
    private static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = call("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = call("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = call("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = call("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SEND = call("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = call("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle POLL = call("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = arena.allocate(CAPTURE);
    private final MemorySegment rx;
    private final MemorySegment tx;
    private final MemorySegment pollFd = arena.allocate(8, 4);
    private final int fd;
    private final int portId;
    private volatile boolean closed;

    private static MethodHandle call(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private NlSocket(int protocol, int groups, int bufferBytes) {
        this.rx = arena.allocate(bufferBytes, 8);
        this.tx = arena.allocate(bufferBytes, 8);
        try {
            int s = (int) SOCKET.invokeExact(errno, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
            check(s, "socket(AF_NETLINK, " + protocol + ")");
            this.fd = s;
            MemorySegment addr = arena.allocate(12, 4);
            addr.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            addr.set(JAVA_INT, 8, groups);
            if ((int) BIND.invokeExact(errno, fd, addr, 12) < 0) {
                int e = lastErrno();
                closeFd();
                throw new NetlinkException("bind netlink groups 0x" + Integer.toHexString(groups), e);
            }
            MemorySegment len = arena.allocateFrom(JAVA_INT, 12);
            check((int) GETSOCKNAME.invokeExact(errno, fd, addr, len), "getsockname");
            this.portId = addr.get(JAVA_INT, 4);
            // Acks then carry only the header of the request, not a copy of the whole request.
            setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
        } catch (NetlinkException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("netlink socket setup failed", t);
        }
    }

    /**
     * Opens a socket of {@code protocol} bound to multicast {@code groups} (bitmask, 0 for none),
     * with send/receive staging buffers of {@code bufferBytes} (the largest message handled).
     */
    public static NlSocket open(int protocol, int groups, int bufferBytes) {
        return new NlSocket(protocol, groups, bufferBytes);
    }

    /** The kernel-assigned port id; events caused by this socket's requests carry it as pid. */
    public int portId() {
        return portId;
    }

    /**
     * Sets the receive buffer, bypassing rmem_max when allowed (CAP_NET_ADMIN) and falling back to
     * the capped SO_RCVBUF otherwise. Returns the size the kernel reports (it doubles the request).
     */
    public int setReceiveBuffer(int bytes) {
        if (!trySetInt(SOL_SOCKET, SO_RCVBUFFORCE, bytes)) {
            setInt(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
        }
        return getInt(SOL_SOCKET, SO_RCVBUF);
    }

    /** Sets the send buffer; large batches of requests go out in one send. */
    public void setSendBuffer(int bytes) {
        setInt(SOL_SOCKET, SO_SNDBUF, bytes, "SO_SNDBUF");
    }

    /** Sends the bytes between position and limit of {@code message} as one datagram. */
    public void send(ByteBuffer message) {
        int n = message.remaining();
        if (n > tx.byteSize()) {
            throw new IllegalArgumentException("netlink message of " + n + " bytes exceeds buffer of " + tx.byteSize());
        }
        MemorySegment.copy(MemorySegment.ofBuffer(message), 0, tx, 0, n);
        try {
            long r;
            do {
                r = (long) SEND.invokeExact(errno, fd, tx, (long) n, 0);
            } while (r < 0 && lastErrno() == EINTR);
            if (r < 0) {
                throw new NetlinkException("netlink send", lastErrno());
            }
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("netlink send failed", t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for one datagram and returns it as a native-order view of
     * the internal buffer, valid until the next receive; null on timeout or after close.
     */
    public ByteBuffer receive(int timeoutMillis) {
        if (closed) {
            return null;
        }
        try {
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, POLLIN);
            pollFd.set(JAVA_SHORT, 6, (short) 0);
            int p = (int) POLL.invokeExact(errno, pollFd, 1L, timeoutMillis);
            if (p < 0) {
                if (lastErrno() == EINTR) {
                    return null;
                }
                throw new NetlinkException("poll netlink socket", lastErrno());
            }
            if (p == 0 || closed) {
                return null;
            }
            long r = (long) RECV.invokeExact(errno, fd, rx, rx.byteSize(), MSG_TRUNC);
            if (r < 0) {
                throw new NetlinkException("netlink receive", lastErrno());
            }
            if (r > rx.byteSize()) {
                throw new NetlinkException("netlink datagram of " + r + " bytes truncated to " + rx.byteSize(), 0);
            }
            return rx.asSlice(0, r).asByteBuffer().order(ByteOrder.nativeOrder());
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("netlink receive failed", t);
        }
    }

    private void setInt(int level, int name, int value, String what) {
        if (!trySetInt(level, name, value)) {
            throw new NetlinkException("setsockopt " + what + "=" + value, lastErrno());
        }
    }

    private boolean trySetInt(int level, int name, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocateFrom(JAVA_INT, value);
            return (int) SETSOCKOPT.invokeExact(errno, fd, level, name, v, 4) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt failed", t);
        }
    }

    private int getInt(int level, int name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocateFrom(JAVA_INT, 4);
            check((int) GETSOCKOPT.invokeExact(errno, fd, level, name, v, len), "getsockopt");
            return v.get(JAVA_INT, 0);
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt failed", t);
        }
    }

    private void check(int result, String what) {
        if (result < 0) {
            throw new NetlinkException(what, lastErrno());
        }
    }

    private int lastErrno() {
        return (int) ERRNO.get(errno, 0L);
    }

    private void closeFd() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }

    /**
     * Closes the socket. A reader blocked in {@link #receive} returns within its poll timeout, so
     * the descriptor and buffers are released only by the last user: callers stop their reader
     * thread before closing (the event source does so).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeFd();
        arena.close();
    }
}
