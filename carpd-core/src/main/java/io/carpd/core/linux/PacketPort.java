package io.carpd.core.linux;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends and receives CARP frames (IP protocol 112 over IPv4 and IPv6) on one interface through
 * libpcap. Capture uses immediate mode (otherwise frames wait in TPACKET_V3 blocks) and direction IN
 * (so our own adverts are not seen), and runs on one dedicated platform thread stopped with
 * breakLoop(): libpcap's read timeout never fires on an idle link and blocking native reads would pin
 * a virtual thread. On open, the interface joins 224.0.0.18 and ff02::12 (see {@link MulticastMembership}).
 * Log output of org.pcap4j should be limited to WARN in logging configuration (it logs every open at INFO).
 *
 * <p>{@link #send} is thread-safe; capture, send and handler failures are counted, never thrown
 * to the capture thread's caller.
 */
public final class PacketPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketPort.class);
    static final String FILTER = "ip proto 112 or ip6 proto 112";
    /** A CARP frame is 70 (IPv4) or 90 (IPv6) bytes; more lets the decoder classify longer VRRP packets. */
    static final int SNAPLEN = 256;
    private static final long CAPTURE_RETRY_MILLIS = 1_000;

    private final String ifname;
    private final PcapHandle handle;
    private final MulticastMembership membership;
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder captureErrors = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private volatile String lastError;
    private Thread captureThread;
    private volatile boolean closing;

    private PacketPort(String ifname, PcapHandle handle, MulticastMembership membership) {
        this.ifname = ifname;
        this.handle = handle;
        this.membership = membership;
    }

    /**
     * Opens {@code ifname} in the calling thread's network namespace.
     *
     * @throws LinuxIoException if the interface does not exist or libpcap cannot open or filter it
     */
    public static PacketPort open(String ifname) {
        int ifindex = Libc.ifNameToIndex(ifname);
        if (ifindex < 0) {
            throw new LinuxIoException("cannot capture on " + ifname + ": no such interface", -ifindex);
        }
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(ifname)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .immediateMode(true)
                    .timeoutMillis(1_000) // never fires on an idle link (see class comment); close() uses breakLoop
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
        } catch (PcapNativeException e) {
            throw new LinuxIoException("cannot open pcap capture on " + ifname, e);
        }
        try {
            handle.setFilter(FILTER, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LinuxIoException("cannot set capture filter '" + FILTER + "' on " + ifname, e);
        }
        MulticastMembership membership = MulticastMembership.join(ifname, ifindex);
        for (String failure : membership.failures()) {
            LOG.warn("{} (adverts may not reach this node through snooping switches)", failure);
        }
        return new PacketPort(ifname, handle, membership);
    }

    public String interfaceName() {
        return ifname;
    }

    /** Starts the capture thread; {@code handler} runs on it for every received frame. Once only. */
    public synchronized void startCapture(FrameHandler handler) {
        Objects.requireNonNull(handler);
        if (captureThread != null) {
            throw new IllegalStateException("capture already started on " + ifname);
        }
        if (closing) {
            throw new IllegalStateException("packet port on " + ifname + " is closed");
        }
        RawPacketListener listener = packet -> {
            framesReceived.increment();
            try {
                handler.onFrame(packet, packet.length);
            } catch (RuntimeException e) {
                handlerErrors.increment();
                LOG.error("frame handler failed on {}", ifname, e);
            }
        };
        captureThread = Thread.ofPlatform().name("carpd-pcap-" + ifname).daemon(true)
                .unstarted(() -> captureLoop(listener));
        captureThread.start();
    }

    private void captureLoop(RawPacketListener listener) {
        while (!closing) {
            try {
                handle.loop(-1, listener);
            } catch (InterruptedException e) {
                return; // breakLoop() from close()
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                if (closing) {
                    return;
                }
                captureErrors.increment();
                lastError = "capture on " + ifname + " failed: " + e.getMessage();
                LOG.warn("{}; retrying in {} ms", lastError, CAPTURE_RETRY_MILLIS);
                try {
                    Thread.sleep(CAPTURE_RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Injects the whole Ethernet frame {@code frame[0..length)}.
     *
     * @return false if it could not be sent (counted in {@link #sendErrors()}, reason in {@link #lastError()})
     */
    public boolean send(byte[] frame, int length) {
        try {
            handle.sendPacket(frame, length);
            framesSent.increment();
            return true;
        } catch (PcapNativeException | NotOpenException e) {
            sendErrors.increment();
            lastError = "send on " + ifname + " failed: " + e.getMessage();
            return false;
        }
    }

    public long framesReceived() {
        return framesReceived.sum();
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long sendErrors() {
        return sendErrors.sum();
    }

    public long captureErrors() {
        return captureErrors.sum();
    }

    /** Exceptions thrown by the frame handler (caught so the capture thread survives). */
    public long handlerErrors() {
        return handlerErrors.sum();
    }

    /**
     * Frames the kernel dropped because the capture buffer was full (libpcap ps_drop), or -1 when the
     * statistic cannot be read (e.g. after close).
     */
    public long kernelDrops() {
        try {
            return handle.getStats().getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            return -1;
        }
    }

    /** Groups that could not be joined at open (empty when 224.0.0.18 and ff02::12 both are). */
    public List<String> membershipFailures() {
        return List.copyOf(membership.failures());
    }

    /** The most recent send or capture error, or null. */
    public String lastError() {
        return lastError;
    }

    /** Stops the capture thread (breakLoop, then join) and releases the handle and memberships. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            t = captureThread;
        }
        if (t != null) {
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // already closed: nothing to interrupt
            }
            t.interrupt(); // in case it sleeps between capture retries
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                // closing the handle now would block on pcap4j's handle lock held by the loop
                LOG.warn("capture thread on {} did not stop within 5 s; leaving the handle open", ifname);
                membership.close();
                return;
            }
        }
        handle.close();
        membership.close();
    }
}
