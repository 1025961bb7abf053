package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.LinuxIoException;
import io.carpd.core.linux.NetlinkMessage;
import io.carpd.core.linux.NetlinkRequest;
import io.carpd.core.linux.NetlinkSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Requests to the conntrack table of the namespace it was opened in: full dump and batched writes.
 * Not thread-safe. Its {@link #portId()} is what the event source must ignore so that our own
 * injections do not come back as local events.
 */
public final class CtClient implements AutoCloseable {
    /** Requests per datagram: keeps the worst case of one error reply per request within the receive buffer. */
    static final int MAX_BATCH = 256;
    private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
    private static final int ENOENT = 2;
    private static final int EEXIST = 17;

    private final NetlinkSocket socket;
    private long malformed;

    private CtClient(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static CtClient open() {
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, 0);
        try {
            s.setReceiveBuffer(RECEIVE_BUFFER);
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

    /** Streams every connection to {@code sink}. */
    public void dump(Consumer<ConnState> sink) {
        NetlinkSocket.Reply reply = socket.transact(CtMessages.dumpRequest());
        if (reply.error() != 0) {
            throw new LinuxIoException("conntrack dump", -reply.error());
        }
        for (NetlinkMessage m : reply.messages()) {
            if (m.type() != CtMessages.CT_NEW) {
                continue;
            }
            try {
                sink.accept(CtMessages.parse(m));
            } catch (MalformedCtMessageException e) {
                malformed++;
            }
        }
    }

    /**
     * Applies {@code writes} in order, {@value #MAX_BATCH} requests per datagram. TCP entries are
     * written BE_LIBERAL in both directions. NAT'd connections are created with their binding; if
     * one exists already it is updated without the binding (the kernel cannot change NAT in place).
     * Deleting an absent connection counts as done.
     */
    public WriteReport write(List<? extends CtWrite> writes) {
        int applied = 0;
        List<WriteReport.Failure> failures = new ArrayList<>();
        List<CtWrite> natRetries = new ArrayList<>();
        for (int from = 0; from < writes.size(); from += MAX_BATCH) {
            applied += sendBatch(writes.subList(from, Math.min(writes.size(), from + MAX_BATCH)), true, failures, natRetries);
        }
        for (int from = 0; from < natRetries.size(); from += MAX_BATCH) {
            applied += sendBatch(natRetries.subList(from, Math.min(natRetries.size(), from + MAX_BATCH)), false, failures, null);
        }
        return new WriteReport(applied, failures);
    }

    /** Sends one batch; returns how many writes it applied (retried and failed ones excluded). */
    private int sendBatch(List<? extends CtWrite> batch, boolean natAllowed,
                          List<WriteReport.Failure> failures, List<CtWrite> natRetries) {
        List<NetlinkRequest> requests = new ArrayList<>(batch.size());
        boolean[] withNat = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            // Errors are always reported; one ack on the last request marks the end of the batch.
            boolean ack = i == batch.size() - 1;
            switch (batch.get(i)) {
                case CtWrite.Upsert u -> {
                    withNat[i] = natAllowed && u.state().isNatted();
                    requests.add(CtMessages.upsertRequest(u.state(), withNat[i], ack));
                }
                case CtWrite.Delete d -> requests.add(CtMessages.deleteRequest(d.key(), ack));
            }
        }
        int[] errors = socket.transactBatch(requests);
        int applied = 0;
        for (int i = 0; i < errors.length; i++) {
            int errno = -errors[i];
            CtWrite w = batch.get(i);
            if (errno == 0 || (w instanceof CtWrite.Delete && errno == ENOENT)) {
                applied++;
            } else if (errno == EEXIST && withNat[i] && natRetries != null) {
                natRetries.add(w);
            } else {
                failures.add(new WriteReport.Failure(w, errno));
            }
        }
        return applied;
    }

    @Override
    public void close() {
        socket.close();
    }
}
