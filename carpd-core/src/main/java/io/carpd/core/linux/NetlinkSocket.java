package io.carpd.core.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A netlink socket over FFM: requests with sequence numbers, acknowledgements (NLMSG_ERROR with 0 or
 * -errno), multipart dumps ending in NLMSG_DONE, and for subscribers a blocking receive that another
 * thread can interrupt with {@link #wakeUp()}.
 *
 * <p>Requests are not thread-safe (callers serialise them); {@link #wakeUp()} and {@link #close()}
 * may come from any thread. The socket belongs to the network namespace of the thread that opened it.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_NETFILTER = 12;
    private static final int RECV_BUFFER = 64 * 1024;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int MAX_DUMP_RETRIES = 3;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int NETLINK_DROP_MEMBERSHIP = 2;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;

    private final int fd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment recvBuffer;
    private final MemorySegment kernelAddress;
    /** Guards {@link #sendBuffer}: sends may come from another thread than the receiver's. */
    private final Object sendLock = new Object();
    private MemorySegment sendBuffer;
    private final AtomicInteger sequence = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));
    private final int portId;
    private volatile boolean closed;
    private volatile boolean woken;

    private NetlinkSocket(int fd, int wakeFd, int portId) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.portId = portId;
        this.recvBuffer = arena.allocate(RECV_BUFFER, 8);
        this.sendBuffer = arena.allocate(4096, 8);
        this.kernelAddress = arena.allocate(12, 4);
        kernelAddress.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
    }

    /**
     * Opens and binds a netlink socket of {@code protocol} (e.g. {@link #NETLINK_ROUTE}) subscribed to
     * the multicast {@code groups} bitmask (0 for a request-only socket).
     */
    public static NetlinkSocket open(int protocol, int groups) {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new LinuxIoException("cannot open netlink socket (protocol " + protocol + ")", -fd);
        }
        int wake = Libc.eventfd();
        if (wake < 0) {
            Libc.close(fd);
            throw new LinuxIoException("cannot create eventfd for netlink socket", -wake);
        }
        int portId;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(12, 4);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            addr.set(ValueLayout.JAVA_INT, 8, groups);
            int r = Libc.bind(fd, addr);
            if (r < 0) {
                Libc.close(fd);
                Libc.close(wake);
                throw new LinuxIoException("cannot bind netlink socket (protocol " + protocol + ", groups 0x"
                        + Integer.toHexString(groups) + ")", -r);
            }
            r = Libc.getsockname(fd, addr, a.allocateFrom(ValueLayout.JAVA_INT, 12));
            portId = r < 0 ? 0 : addr.get(ValueLayout.JAVA_INT, 4);
        }
        // A subscriber that falls behind loses events (ENOBUFS) and must resync; a larger buffer makes that rarer.
        Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1 << 20);
        // Extended acks carry the kernel's own reason ("MAC address is invalid"); capped acks skip the echoed request.
        Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
        Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        return new NetlinkSocket(fd, wake, portId);
    }

    /**
     * The port id the kernel bound this socket to. Notifications caused by this socket's requests
     * carry it as their sender, which lets a listener drop the echoes of its own changes.
     */
    public int portId() {
        return portId;
    }

    /**
     * Sets the receive buffer, beyond net.core.rmem_max where CAP_NET_ADMIN allows
     * (SO_RCVBUFFORCE), else capped by it. Returns the size the kernel granted (it doubles requests).
     */
    public int setReceiveBuffer(int bytes) {
        if (Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, bytes) < 0) {
            int r = Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes);
            if (r < 0) {
                throw new LinuxIoException("cannot set netlink receive buffer to " + bytes, -r);
            }
        }
        int granted = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
        if (granted < 0) {
            throw new LinuxIoException("cannot read netlink receive buffer size", -granted);
        }
        return granted;
    }

    /**
     * Joins ({@code member}) or leaves the multicast groups of the bitmask {@code groups} (bit
     * N-1 = group N, as at open). Safe while another thread blocks in {@link #receive}.
     */
    public void membership(int groups, boolean member) {
        ensureOpen();
        for (int g = 1; g <= 32; g++) {
            if ((groups & (1 << (g - 1))) != 0) {
                int r = Libc.setsockoptInt(fd, SOL_NETLINK, member ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP, g);
                if (r < 0) {
                    throw new LinuxIoException((member ? "cannot join" : "cannot leave") + " netlink group " + g, -r);
                }
            }
        }
    }

    /**
     * Makes the kernel drop, before queueing, every message sent on behalf of one of {@code
     * portIds} (nlmsg_pid): a listener then never sees the events its own process caused through
     * those sockets. Cheaper than skipping them after the read, and they cannot fill the buffer
     * and push out events that matter. Classic BPF on the socket (SO_ATTACH_FILTER); the filter
     * sees the netlink header of each datagram, and conntrack sends one event per datagram.
     */
    public void dropMessagesFrom(int... portIds) {
        if (portIds.length == 0 || portIds.length > 200) {
            throw new IllegalArgumentException("1..200 port ids, got " + portIds.length);
        }
        int n = portIds.length;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(8L * (n + 3), 8);
            // ld [12]: BPF loads are big-endian, nlmsg_pid is host order; compare with ids as loaded.
            bpf(prog, 0, 0x20, 0, 0, 12);
            boolean swap = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
            for (int i = 0; i < n; i++) {
                // jeq #pid, drop (the instruction after the accept), else next
                bpf(prog, i + 1, 0x15, n - i, 0, swap ? Integer.reverseBytes(portIds[i]) : portIds[i]);
            }
            bpf(prog, n + 1, 0x06, 0, 0, 0xffff_ffff); // ret #-1: accept whole message
            bpf(prog, n + 2, 0x06, 0, 0, 0);           // ret #0: drop
            MemorySegment fprog = a.allocate(16, 8);
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) (n + 3));
            fprog.set(ValueLayout.ADDRESS, 8, prog);
            int r = Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, fprog);
            if (r < 0) {
                throw new LinuxIoException("cannot attach a socket filter to the netlink socket", -r);
            }
        }
    }

    /** Writes struct sock_filter {u16 code; u8 jt; u8 jf; u32 k} number {@code index}. */
    private static void bpf(MemorySegment prog, int index, int code, int jt, int jf, int k) {
        long o = 8L * index;
        prog.set(ValueLayout.JAVA_SHORT, o, (short) code);
        prog.set(ValueLayout.JAVA_BYTE, o + 2, (byte) jt);
        prog.set(ValueLayout.JAVA_BYTE, o + 3, (byte) jf);
        prog.set(ValueLayout.JAVA_INT, o + 4, k);
    }

    /**
     * Outcome of one request: the error field of its NLMSG_ERROR (0 = ok, else -errno), the kernel's
     * extended-ack text (null when it gave none), and any reply messages.
     */
    public record Reply(int error, String kernelMessage, List<NetlinkMessage> messages) {
    }

    /**
     * Sends {@code request} and collects everything the kernel answers for its sequence number until the
     * acknowledgement, NLMSG_DONE, or (for a plain GET without ACK) the first reply.
     */
    public Reply transact(NetlinkRequest request) {
        int flags = request.flags();
        boolean dump = (flags & NetlinkRequest.NLM_F_DUMP) == NetlinkRequest.NLM_F_DUMP;
        for (int attempt = 0; ; attempt++) {
            int seq = send(request);
            Reply reply = collect(seq, dump, (flags & NetlinkRequest.NLM_F_ACK) != 0);
            boolean interrupted = reply.messages.stream()
                    .anyMatch(m -> (m.flags() & NetlinkRequest.NLM_F_DUMP_INTR) != 0);
            if (!interrupted || attempt >= MAX_DUMP_RETRIES) {
                return reply;
            }
        }
    }

    /**
     * Sends {@code requests} in one datagram (the kernel handles them in order) and returns the
     * error of each, in order: 0 when applied, else -errno. Requests without NLM_F_ACK answer only
     * when they fail, so a batch costs one round trip; the last request must carry NLM_F_ACK, its
     * acknowledgement marks the end of the batch.
     */
    public int[] transactBatch(List<NetlinkRequest> requests) {
        if (requests.isEmpty()) {
            return new int[0];
        }
        if ((requests.getLast().flags() & NetlinkRequest.NLM_F_ACK) == 0) {
            throw new IllegalArgumentException("the last request of a batch must ask for an acknowledgement");
        }
        int first;
        synchronized (sendLock) {
            first = sequence.get() + 1;
            int total = 0;
            for (NetlinkRequest r : requests) {
                ByteBuffer m = r.finish(sequence.incrementAndGet());
                MemorySegment out = sendBuffer(total + m.limit());
                MemorySegment.copy(MemorySegment.ofBuffer(m), 0, out, total, m.limit());
                total += m.limit();
            }
            sendSegment(sendBuffer, total, requests.getFirst());
        }
        int[] errors = new int[requests.size()];
        int last = first + requests.size() - 1;
        boolean[] done = {false};
        while (!done[0]) {
            receiveOnce(m -> {
                int index = m.sequence() - first;
                if (m.type() == NetlinkMessage.NLMSG_ERROR && index >= 0 && index < errors.length) {
                    errors[index] = m.error();
                    if (m.sequence() == last) {
                        done[0] = true;
                    }
                }
            }, true);
        }
        return errors;
    }

    /** Sends {@code request} under the next sequence number, which it returns. */
    private int send(NetlinkRequest request) {
        synchronized (sendLock) {
            int seq = sequence.incrementAndGet();
            ByteBuffer msg = request.finish(seq);
            MemorySegment out = sendBuffer(msg.limit());
            MemorySegment.copy(MemorySegment.ofBuffer(msg), 0, out, 0, msg.limit());
            sendSegment(out, msg.limit(), request);
            return seq;
        }
    }

    /**
     * The reusable outbound buffer, grown to hold {@code bytes} (keeping its content): batches of
     * thousands of conntrack writes would otherwise cost a native allocation per datagram.
     */
    private MemorySegment sendBuffer(long bytes) {
        if (sendBuffer.byteSize() < bytes) {
            MemorySegment bigger = arena.allocate(Math.max(bytes, sendBuffer.byteSize() * 2), 8);
            MemorySegment.copy(sendBuffer, 0, bigger, 0, sendBuffer.byteSize());
            sendBuffer = bigger;
        }
        return sendBuffer;
    }

    private void sendSegment(MemorySegment seg, long length, NetlinkRequest request) {
        ensureOpen();
        long r = Libc.sendto(fd, seg, length, kernelAddress);
        if (r < 0) {
            throw new LinuxIoException("netlink send of message type " + request.type() + " failed", (int) -r);
        }
    }

    private Reply collect(int seq, boolean dump, boolean ack) {
        List<NetlinkMessage> replies = new ArrayList<>();
        Status st = collect(seq, dump, ack, replies::add);
        return new Reply(st.error, st.kernelMessage, replies);
    }

    private record Status(int error, String kernelMessage) {}

    private Status collect(int seq, boolean dump, boolean ack, Consumer<NetlinkMessage> sink) {
        RuntimeException sinkFailure = null;
        while (true) {
            int[] status = {Integer.MIN_VALUE};
            String[] kernelMessage = {null};
            RuntimeException[] failed = {sinkFailure};
            receiveOnce(m -> {
                if (m.sequence() != seq || status[0] != Integer.MIN_VALUE) {
                    return; // stale answer to an earlier request, or trailing data after the end
                }
                switch (m.type()) {
                    case NetlinkMessage.NLMSG_ERROR -> {
                        status[0] = m.error();
                        kernelMessage[0] = extendedAckMessage(m);
                    }
                    case NetlinkMessage.NLMSG_DONE -> status[0] = 0;
                    case NetlinkMessage.NLMSG_NOOP, NetlinkMessage.NLMSG_OVERRUN -> { }
                    default -> {
                        if (failed[0] == null) {
                            try {
                                sink.accept(m);
                            } catch (RuntimeException e) {
                                // Read the dump to its end all the same: an unfinished dump makes
                                // every later one on this socket fail with EBUSY.
                                failed[0] = e;
                            }
                        }
                        if (!dump && !ack) {
                            status[0] = 0;
                        }
                    }
                }
            }, true);
            sinkFailure = failed[0];
            if (status[0] != Integer.MIN_VALUE) {
                if (sinkFailure != null) {
                    throw sinkFailure;
                }
                return new Status(status[0], kernelMessage[0]);
            }
        }
    }

    /**
     * Sends the dump {@code request} and hands each reply to {@code sink} as it arrives, so a large
     * table is never held as raw messages. Returns 0 or the kernel's negative errno; an exception
     * from {@code sink} is rethrown once the dump has been read to its end.
     */
    public int dump(NetlinkRequest request, Consumer<NetlinkMessage> sink) {
        if ((request.flags() & NetlinkRequest.NLM_F_DUMP) != NetlinkRequest.NLM_F_DUMP) {
            throw new IllegalArgumentException("not a dump request: flags 0x" + Integer.toHexString(request.flags()));
        }
        return collect(send(request), true, false, sink).error();
    }


    private static String extendedAckMessage(NetlinkMessage error) {
        if ((error.flags() & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        ByteBuffer p = error.payload();
        // error code, then the request's header, or the whole request unless the ack is capped
        int start = (error.flags() & NLM_F_CAPPED) != 0
                ? 4 + NetlinkMessage.HEADER_LENGTH
                : 4 + ((p.getInt(4) + 3) & ~3);
        if (start >= p.limit()) {
            return null;
        }
        return NetlinkAttributes.parse(p, start).string(NLMSGERR_ATTR_MSG);
    }

    /**
     * Blocks until one datagram arrives and hands each message in it to {@code sink}. A message's
     * payload is a view of the receive buffer, valid only during the call: copy what you keep.
     *
     * @return false when woken by {@link #wakeUp()} or closed; true after delivering a datagram
     * @throws LinuxIoException on receive errors; ENOBUFS means events were lost (resync)
     */
    public boolean receive(Consumer<NetlinkMessage> sink) {
        return receiveOnce(sink, false, -1);
    }

    /**
     * Like {@link #receive(Consumer)}, but also returns false when nothing arrived within
     * {@code timeoutMillis}.
     */
    public boolean receive(Consumer<NetlinkMessage> sink, int timeoutMillis) {
        return receiveOnce(sink, false, timeoutMillis);
    }

    private boolean receiveOnce(Consumer<NetlinkMessage> sink, boolean requestReply) {
        return receiveOnce(sink, requestReply, 5_000);
    }

    private boolean receiveOnce(Consumer<NetlinkMessage> sink, boolean requestReply, int timeoutMillis) {
        // A subscriber with a backlog reads on without polling first: one syscall per datagram
        // instead of two, which is what lets one thread keep up with conntrack event bursts.
        if (!requestReply && !woken) {
            ensureOpen();
            long n = Libc.recv(fd, recvBuffer, MSG_DONTWAIT);
            if (n >= 0) {
                parse(n, sink, false);
                return true;
            }
            if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
                throw new LinuxIoException("netlink receive failed", (int) -n);
            }
        }
        while (true) {
            ensureOpen();
            // Request replies must not be cut short by the wake fd; event reads honour it.
            int ready = requestReply ? Libc.pollIn(new int[] {fd}, timeoutMillis) : Libc.pollIn(new int[] {fd, wakeFd}, timeoutMillis);
            if (ready == -Errno.EINTR) {
                continue;
            }
            if (ready < 0) {
                throw new LinuxIoException("poll on netlink socket failed", -ready);
            }
            if (ready == 0) {
                if (!requestReply) {
                    return false;
                }
                throw new LinuxIoException("no netlink answer within 5 s", 0);
            }
            if (closed || (!requestReply && (ready & 2) != 0)) {
                return false;
            }
            if ((ready & 1) == 0) {
                continue;
            }
            long n = Libc.recv(fd, recvBuffer, 0);
            if (n == -Errno.EINTR || n == -Errno.EAGAIN) {
                continue;
            }
            if (n < 0) {
                throw new LinuxIoException("netlink receive failed", (int) -n);
            }
            // Replies to requests may be kept (dumps, Reply.messages); subscribers' events are not.
            parse(n, sink, requestReply);
            return true;
        }
    }

    private void parse(long length, Consumer<NetlinkMessage> sink, boolean copy) {
        ByteBuffer buf = recvBuffer.asSlice(0, length).asByteBuffer().order(ByteOrder.nativeOrder());
        int pos = 0;
        while (pos + NetlinkMessage.HEADER_LENGTH <= length) {
            int len = buf.getInt(pos);
            if (len < NetlinkMessage.HEADER_LENGTH || pos + len > length) {
                break;
            }
            ByteBuffer payload;
            if (copy) {
                payload = ByteBuffer.allocate(len - NetlinkMessage.HEADER_LENGTH).order(ByteOrder.nativeOrder());
                payload.put(0, buf, pos + NetlinkMessage.HEADER_LENGTH, payload.capacity());
            } else {
                payload = buf.slice(pos + NetlinkMessage.HEADER_LENGTH, len - NetlinkMessage.HEADER_LENGTH).order(ByteOrder.nativeOrder());
            }
            sink.accept(new NetlinkMessage(Short.toUnsignedInt(buf.getShort(pos + 4)),
                    Short.toUnsignedInt(buf.getShort(pos + 6)), buf.getInt(pos + 8), buf.getInt(pos + 12), payload));
            pos += (len + 3) & ~3;
        }
    }

    /**
     * Makes a blocked {@link #receive} return false, and every later one too (it is the stop signal of a
     * subscriber thread); safe from any thread. Does not affect {@link #transact}.
     */
    public void wakeUp() {
        woken = true;
        if (!closed) {
            Libc.signalEventfd(wakeFd);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LinuxIoException("netlink socket is closed", 0);
        }
    }

    /**
     * Closes the socket. A thread blocked in {@link #receive} must be woken ({@link #wakeUp()}) and have
     * returned before this is called, because closing frees the receive buffer it writes into.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
        Libc.close(wakeFd);
        arena.close();
    }
}
