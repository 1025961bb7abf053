package io.carpd.pfsync.conntrack;

import io.carpd.pfsync.netlink.MalformedNetlinkException;
import io.carpd.pfsync.netlink.NetlinkException;
import io.carpd.pfsync.netlink.NlBuilder;
import io.carpd.pfsync.netlink.NlSocket;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Requests to the conntrack table of the namespace it was opened in: full dump and batched writes.
 * Not thread-safe. Its {@link #portId()} is what the event source must ignore so that our own
 * injections do not come back as local events.
 */
public final class CtClient implements AutoCloseable {
    /** Requests per send: keeps the worst case of one error reply per request within the receive buffer. */
    static final int MAX_BATCH = 256;
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
    private static final int ANSWER_TIMEOUT_MS = 5000;

    private final NlSocket socket;
    private final NlBuilder builder = new NlBuilder(BUFFER_BYTES);
    private int seq = 1;
    private long malformed;

    private CtClient(NlSocket socket) {
        this.socket = socket;
    }

    public static CtClient open() {
        NlSocket s = NlSocket.open(NlSocket.NETLINK_NETFILTER, 0, BUFFER_BYTES);
        try {
            s.setReceiveBuffer(RECEIVE_BUFFER);
            s.setSendBuffer(BUFFER_BYTES * 2);
            return new CtClient(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public int portId() {
        return socket.portId();
    }

    /** Dumped messages that could not be parsed (skipped), since open. */
    public long malformedDropped() {
        return malformed;
    }

    /** Every connection in the table, all families and zones. */
    public List<ConnState> dump() {
        List<ConnState> out = new ArrayList<>();
        dump(out::add);
        return out;
    }

    /** Streams every connection to {@code sink} as the kernel sends them. */
    public void dump(Consumer<ConnState> sink) {
        int dumpSeq = nextSeq();
        CtMessages.writeDump(builder.clear(), dumpSeq);
        socket.send(builder.flip());
        while (true) {
            ByteBuffer buf = answer("dump");
            int end = buf.limit();
            for (int msg = 0; msg + NlBuilder.NLMSG_HDRLEN <= end; ) {
                int len = CtMessages.length(buf, msg, end);
                int type = CtMessages.type(buf, msg);
                if (CtMessages.seq(buf, msg) == dumpSeq) {
                    if (type == CtMessages.NLMSG_DONE) {
                        return;
                    }
                    if (type == CtMessages.NLMSG_ERROR) {
                        throw new NetlinkException("conntrack dump", CtMessages.errorCode(buf, msg));
                    }
                    if (type == CtMessages.CT_NEW) {
                        try {
                            sink.accept(CtMessages.parse(buf, msg, len));
                        } catch (MalformedNetlinkException e) {
                            malformed++;
                        }
                    }
                }
                msg = CtMessages.next(msg, len);
            }
        }
    }

    /**
     * Applies {@code writes} in order, {@value #MAX_BATCH} requests per send. TCP entries are
     * written BE_LIBERAL in both directions. NAT'd connections are created with their binding; if
     * one exists already it is updated without the binding (the kernel cannot change NAT in place).
     */
    public WriteReport write(List<? extends CtWrite> writes) {
        int applied = 0;
        List<WriteReport.Failure> failures = new ArrayList<>();
        List<CtWrite> natRetries = new ArrayList<>();
        for (int from = 0; from < writes.size(); from += MAX_BATCH) {
            List<? extends CtWrite> batch = writes.subList(from, Math.min(writes.size(), from + MAX_BATCH));
            applied += sendBatch(batch, true, failures, natRetries);
        }
        for (int from = 0; from < natRetries.size(); from += MAX_BATCH) {
            List<CtWrite> batch = natRetries.subList(from, Math.min(natRetries.size(), from + MAX_BATCH));
            applied += sendBatch(batch, false, failures, null);
        }
        return new WriteReport(applied, failures);
    }

    /** Sends one batch; returns how many writes it applied (retried and failed ones excluded). */
    private int sendBatch(List<? extends CtWrite> batch, boolean natAllowed,
                          List<WriteReport.Failure> failures, List<CtWrite> natRetries) {
        builder.clear();
        Map<Integer, CtWrite> bySeq = new HashMap<>();
        Map<Integer, Boolean> sentWithNat = new HashMap<>();
        int lastSeq = 0;
        int lastStart = 0;
        for (CtWrite w : batch) {
            int s = nextSeq();
            lastStart = builder.position();
            switch (w) {
                case CtWrite.Upsert u -> {
                    boolean nat = natAllowed && u.state().isNatted();
                    CtMessages.writeUpsert(builder, s, false, u.state(), nat);
                    sentWithNat.put(s, nat);
                }
                case CtWrite.Delete d -> CtMessages.writeDelete(builder, s, false, d.key());
            }
            bySeq.put(s, w);
            lastSeq = s;
        }
        // Errors are always reported; one ack on the last request marks the end of the batch
        // because the kernel handles the requests of one send in order.
        builder.addFlags(lastStart, CtMessages.NLM_F_ACK);
        socket.send(builder.flip());
        int notApplied = 0;
        boolean done = false;
        while (!done) {
            ByteBuffer buf = answer("write batch");
            int end = buf.limit();
            for (int msg = 0; msg + NlBuilder.NLMSG_HDRLEN <= end; ) {
                int len = CtMessages.length(buf, msg, end);
                if (CtMessages.type(buf, msg) == CtMessages.NLMSG_ERROR) {
                    int s = CtMessages.errorRequestSeq(buf, msg);
                    int errno = CtMessages.errorCode(buf, msg);
                    CtWrite w = bySeq.get(s);
                    if (w != null && errno != 0 && !(w instanceof CtWrite.Delete && errno == NetlinkException.ENOENT)) {
                        notApplied++;
                        if (errno == NetlinkException.EEXIST && natRetries != null && sentWithNat.get(s)) {
                            natRetries.add(w);
                        } else {
                            failures.add(new WriteReport.Failure(w, errno));
                        }
                    }
                    if (s == lastSeq) {
                        done = true;
                    }
                }
                msg = CtMessages.next(msg, len);
            }
        }
        return batch.size() - notApplied;
    }

    private ByteBuffer answer(String what) {
        ByteBuffer buf = socket.receive(ANSWER_TIMEOUT_MS);
        if (buf == null) {
            throw new NetlinkException("no answer from ctnetlink to " + what + " within " + ANSWER_TIMEOUT_MS + " ms", 0);
        }
        return buf;
    }

    private int nextSeq() {
        int s = seq++;
        if (seq == 0) {
            seq = 1;
        }
        return s;
    }

    @Override
    public void close() {
        socket.close();
    }
}
