package io.carpd.core.linux;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches link state through an RTMGRP_LINK subscription on its own platform thread (the receive
 * blocks in native code). After {@link #start()} the consumer first gets the current state of every
 * interface, then each change of flags (up, carrier, running), MAC or MTU. A deleted interface is
 * delivered with flags 0. If the kernel drops events (ENOBUFS) the watcher re-reads all links and
 * delivers what changed, so no carrier transition is lost for good. The consumer runs on the watcher
 * thread and must hand work off quickly (e.g. to the event loop).
 */
public final class LinkWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkWatcher.class);

    private final Consumer<LinkInfo> consumer;
    private final Map<Integer, LinkInfo> known = new HashMap<>();
    private NetlinkSocket events;
    private RtNetlink requests;
    private Thread thread;
    private volatile boolean stopping;
    private volatile long resyncs;

    public LinkWatcher(Consumer<LinkInfo> consumer) {
        this.consumer = Objects.requireNonNull(consumer);
    }

    /**
     * Subscribes and starts the watcher thread. Sockets are opened here, on the caller's thread, so the
     * watcher observes the caller's network namespace.
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("link watcher already started");
        }
        events = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, RtNetlink.RTMGRP_LINK);
        try {
            requests = RtNetlink.open();
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
        thread = Thread.ofPlatform().name("carpd-linkwatch").daemon(true).unstarted(this::run);
        thread.start();
    }

    private void run() {
        try {
            resync(); // subscribed first, then dumped: no change can fall between the two
            while (!stopping) {
                try {
                    if (!events.receive(this::onMessage)) {
                        return;
                    }
                } catch (LinuxIoException e) {
                    if (stopping) {
                        return;
                    }
                    if (e.errno() != Errno.ENOBUFS) {
                        throw e;
                    }
                    resyncs++;
                    LOG.warn("link events overflowed; re-reading all interfaces");
                    resync();
                }
            }
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.error("link watcher stopped: {}", e.getMessage(), e);
            }
        }
    }

    private void resync() {
        Map<Integer, LinkInfo> current = new HashMap<>();
        for (LinkInfo l : requests.links()) {
            current.put(l.index(), l);
            deliverIfChanged(l);
        }
        for (LinkInfo gone : Map.copyOf(known).values()) {
            if (!current.containsKey(gone.index())) {
                deliverIfChanged(new LinkInfo(gone.index(), gone.name(), gone.mac(), 0, gone.mtu()));
                known.remove(gone.index());
            }
        }
    }

    private void onMessage(NetlinkMessage m) {
        if (m.payload().get(0) != 0) {
            return; // AF_BRIDGE port notifications share the group; a port leaving a bridge is no link loss
        }
        if (m.type() == RtNetlink.RTM_NEWLINK) {
            deliverIfChanged(RtNetlink.parseLink(m));
        } else if (m.type() == RtNetlink.RTM_DELLINK) {
            deliverIfChanged(RtNetlink.parseLink(m));
            known.remove(m.payload().getInt(4));
        }
    }

    private void deliverIfChanged(LinkInfo link) {
        LinkInfo previous = known.put(link.index(), link);
        if (link.equals(previous)) {
            return;
        }
        try {
            consumer.accept(link);
        } catch (RuntimeException e) {
            LOG.error("link state consumer failed for {}", link, e);
        }
    }

    /** How often events were lost and the link table re-read. */
    public long resyncs() {
        return resyncs;
    }

    /** Stops the thread and closes the sockets; waits for the thread so no delivery follows close(). */
    @Override
    public synchronized void close() {
        if (thread == null || stopping) {
            return;
        }
        stopping = true;
        events.wakeUp();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("link watcher thread did not stop within 5 s; leaving its sockets open");
            return;
        }
        events.close();
        requests.close();
    }
}
