package io.carpd.pfsync.conntrack;

import io.carpd.pfsync.netlink.MalformedNetlinkException;
import io.carpd.pfsync.netlink.NetlinkException;
import io.carpd.pfsync.netlink.NlSocket;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Conntrack NEW/UPDATE/DESTROY events from the kernel of the namespace it was opened in. Used by
 * one reader thread that calls {@link #poll}; messages caused by our own injection socket (their
 * pid is its port id) are dropped, so the BACKUP never echoes what it was told back to its peer.
 */
public final class CtEventSource implements AutoCloseable {
    private static final int DATAGRAM_BYTES = 64 * 1024;

    private final NlSocket socket;
    private final int receiveBuffer;
    private volatile int ignoredPortId;
    private long events;
    private long echoes;
    private long malformed;
    private long overruns;

    private CtEventSource(NlSocket socket, int receiveBuffer) {
        this.socket = socket;
        this.receiveBuffer = receiveBuffer;
    }

    /**
     * Subscribes to the three conntrack event groups with a receive buffer of {@code
     * receiveBufferBytes} (forced past rmem_max when CAP_NET_ADMIN allows; the kernel doubles it).
     */
    public static CtEventSource open(int receiveBufferBytes) {
        NlSocket s = NlSocket.open(NlSocket.NETLINK_NETFILTER, CtMessages.GROUPS_NEW_UPDATE_DESTROY, DATAGRAM_BYTES);
        try {
            return new CtEventSource(s, s.setReceiveBuffer(receiveBufferBytes));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The receive buffer the kernel granted, in bytes. */
    public int receiveBuffer() {
        return receiveBuffer;
    }

    /** Drop events whose origin is the socket with this port id (our injector); 0 disables. */
    public void ignoreOrigin(int portId) {
        this.ignoredPortId = portId;
    }

    /**
     * Waits up to {@code timeoutMillis} for one datagram and hands its events to {@code sink};
     * returns how many were delivered. ENOBUFS is delivered as {@link CtEvent.Overrun}; a malformed
     * message is counted and skipped.
     */
    public int poll(int timeoutMillis, Consumer<CtEvent> sink) {
        ByteBuffer buf;
        try {
            buf = socket.receive(timeoutMillis);
        } catch (NetlinkException e) {
            if (e.errno() == NetlinkException.ENOBUFS) {
                overruns++;
                sink.accept(new CtEvent.Overrun());
                return 1;
            }
            throw e;
        }
        if (buf == null) {
            return 0;
        }
        int end = buf.limit();
        int delivered = 0;
        int msg = 0;
        while (msg + 16 <= end) {
            int len;
            try {
                len = CtMessages.length(buf, msg, end);
            } catch (MalformedNetlinkException e) {
                malformed++;
                break;
            }
            CtEvent ev = decode(buf, msg, len);
            if (ev != null) {
                events++;
                delivered++;
                sink.accept(ev);
            }
            msg = CtMessages.next(msg, len);
        }
        return delivered;
    }

    private CtEvent decode(ByteBuffer buf, int msg, int len) {
        int type = CtMessages.type(buf, msg);
        if (type == CtMessages.NLMSG_OVERRUN) {
            overruns++;
            return new CtEvent.Overrun();
        }
        if (type != CtMessages.CT_NEW && type != CtMessages.CT_DELETE) {
            return null;
        }
        int ignored = ignoredPortId;
        if (ignored != 0 && CtMessages.portId(buf, msg) == ignored) {
            echoes++;
            return null;
        }
        ConnState s;
        try {
            s = CtMessages.parse(buf, msg, len);
        } catch (MalformedNetlinkException e) {
            malformed++;
            return null;
        }
        if (type == CtMessages.CT_DELETE) {
            return new CtEvent.Destroy(s);
        }
        boolean created = (CtMessages.flags(buf, msg) & (CtMessages.NLM_F_CREATE | CtMessages.NLM_F_EXCL)) != 0;
        return created ? new CtEvent.New(s) : new CtEvent.Update(s);
    }

    public long eventsDelivered() {
        return events;
    }

    public long echoesIgnored() {
        return echoes;
    }

    public long malformedDropped() {
        return malformed;
    }

    public long overruns() {
        return overruns;
    }

    /** Closes the socket; stop the reader thread first (see {@link NlSocket#close()}). */
    @Override
    public void close() {
        socket.close();
    }
}
