package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.LinuxIoException;
import io.carpd.core.linux.NetlinkMessage;
import io.carpd.core.linux.NetlinkRequest;
import io.carpd.core.linux.NetlinkSocket;

import java.util.function.Consumer;

/**
 * Conntrack NEW/UPDATE/DESTROY events from the kernel of the namespace it was opened in. Used by
 * one reader thread that calls {@link #poll}; {@link #wakeUp()} releases it from any thread.
 * Messages caused by our own injection socket (their sender is its port id) are dropped, so the
 * BACKUP never echoes what it was told back to its peer.
 */
public final class CtEventSource implements AutoCloseable {
    private static final int ENOBUFS = 105;
    /** Largest buffer an overrun may grow the socket to (the kernel grants twice the request). */
    static final int MAX_RECEIVE_BUFFER_REQUEST = 64 << 20;

    private final NetlinkSocket socket;
    private volatile int receiveBuffer;
    private volatile int[] ignoredPortIds = new int[0];
    private long events;
    private long malformed;
    private volatile long overruns;

    private CtEventSource(NetlinkSocket socket, int receiveBuffer) {
        this.socket = socket;
        this.receiveBuffer = receiveBuffer;
    }

    /**
     * Subscribes to the three conntrack event groups with a receive buffer of {@code
     * receiveBufferBytes} (forced past rmem_max when CAP_NET_ADMIN allows; the kernel doubles it).
     */
    public static CtEventSource open(int receiveBufferBytes) {
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, CtMessages.GROUPS_NEW_UPDATE_DESTROY);
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

    /**
     * Drop events whose origin is one of the sockets with these port ids (our injectors): in the
     * kernel by a socket filter, and here too in case the filter could not be attached.
     */
    public void ignoreOrigins(int... portIds) {
        this.ignoredPortIds = portIds.clone();
        if (portIds.length > 0) {
            try {
                socket.dropMessagesFrom(portIds);
            } catch (LinuxIoException e) {
                // Still correct, only slower: every echo is read and skipped in decode().
            }
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: until {@link #wakeUp()}) for one datagram and
     * hands its events to {@code sink}; returns false on timeout or wake-up. Lost events (ENOBUFS)
     * are delivered as {@link CtEvent.Overrun}; a malformed message is counted and skipped.
     */
    public boolean poll(int timeoutMillis, Consumer<CtEvent> sink) {
        try {
            return socket.receive(m -> {
                CtEvent ev = decode(m);
                if (ev != null) {
                    events++;
                    sink.accept(ev);
                }
            }, timeoutMillis);
        } catch (LinuxIoException e) {
            if (e.errno() == ENOBUFS) {
                overruns++;
                grow();
                sink.accept(new CtEvent.Overrun());
                return true;
            }
            throw e;
        }
    }

    /** After an overrun: a burst this size will come again, so make room for twice as much. */
    private void grow() {
        int request = (int) Math.min(MAX_RECEIVE_BUFFER_REQUEST, (long) receiveBuffer);
        if (request > receiveBuffer / 2) {
            try {
                receiveBuffer = socket.setReceiveBuffer(request);
            } catch (LinuxIoException e) {
                // Keep the buffer we have; the overrun is still reported and resynced.
            }
        }
    }

    private CtEvent decode(NetlinkMessage m) {
        if (m.type() == NetlinkMessage.NLMSG_OVERRUN) {
            overruns++;
            return new CtEvent.Overrun();
        }
        if (m.type() != CtMessages.CT_NEW && m.type() != CtMessages.CT_DELETE) {
            return null;
        }
        for (int ignored : ignoredPortIds) {
            if (ignored != 0 && m.portId() == ignored) {
                return null;
            }
        }
        ConnState s;
        try {
            s = CtMessages.parse(m);
        } catch (MalformedCtMessageException e) {
            malformed++;
            return null;
        }
        if (m.type() == CtMessages.CT_DELETE) {
            return new CtEvent.Destroy(s);
        }
        boolean created = (m.flags() & (NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_EXCL)) != 0;
        return created ? new CtEvent.New(s) : new CtEvent.Update(s);
    }

    /**
     * Stops ({@code false}) or restarts event delivery; safe from any thread. While nobody in the
     * namespace listens, the kernel does not even build the events, which makes bulk injection
     * about three times cheaper. Events of the pause are lost: the caller resyncs by dump after.
     */
    public void listening(boolean on) {
        socket.membership(CtMessages.GROUPS_NEW_UPDATE_DESTROY, on);
    }

    /** Makes a blocked {@link #poll} return; safe from any thread. */
    public void wakeUp() {
        socket.wakeUp();
    }

    public long eventsDelivered() {
        return events;
    }

    public long malformedDropped() {
        return malformed;
    }

    public long overruns() {
        return overruns;
    }

    /** Closes the socket; the reader must have returned from {@link #poll} (see {@link #wakeUp()}). */
    @Override
    public void close() {
        socket.close();
    }
}
