package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.LinuxIoException;
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
    private static final int EBUSY = 16;

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

    /** Streams every connection to {@code sink}, parsing each as it arrives. */
    public void dump(Consumer<ConnState> sink) {
        int error = socket.dump(CtMessages.dumpRequest(), m -> {
            if (m.type() != CtMessages.CT_NEW) {
                return;
            }
            try {
                sink.accept(CtMessages.parse(m));
            } catch (MalformedCtMessageException e) {
                malformed++;
            }
        });
        if (error != 0) {
            throw new LinuxIoException("conntrack dump", -error);
        }
    }

    /**
     * Applies {@code writes} in order, {@value #MAX_BATCH} requests per datagram. TCP entries are
     * written BE_LIBERAL in both directions. Two refusals are retried once in a narrower form:
     * a NAT'd connection that already exists (EEXIST: the kernel cannot change NAT in place) is
     * updated without its binding, and an update that would clear SEEN_REPLY or ASSURED (EBUSY:
     * those bits can only be set) is applied without status. Deleting an absent connection counts
     * as done.
     */
    public WriteReport write(List<? extends CtWrite> writes) {
        List<Attempt> pending = new ArrayList<>(writes.size());
        for (CtWrite w : writes) {
            pending.add(new Attempt(w, w instanceof CtWrite.Upsert u && u.state().isNatted(), true));
        }
        int applied = 0;
        List<WriteReport.Failure> failures = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<Attempt> retries = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += MAX_BATCH) {
                applied += sendBatch(pending.subList(from, Math.min(pending.size(), from + MAX_BATCH)), failures, retries);
            }
            pending = retries;
        }
        return new WriteReport(applied, failures);
    }

    /** One form of sending a write: with or without NAT binding and status. */
    private record Attempt(CtWrite write, boolean nat, boolean status) {
        NetlinkRequest request(boolean ack) {
            return switch (write) {
                case CtWrite.Upsert u -> CtMessages.upsertRequest(u.state(), nat, status, ack);
                case CtWrite.Delete d -> CtMessages.deleteRequest(d.key(), ack);
            };
        }

        /** The narrower form to retry after {@code errno}, or null when there is none. */
        Attempt retryAfter(int errno) {
            if (errno == EEXIST && nat) {
                return new Attempt(write, false, status);
            }
            if (errno == EBUSY && status && write instanceof CtWrite.Upsert) {
                return new Attempt(write, false, false);
            }
            return null;
        }
    }

    /** Sends one batch; returns how many writes it applied. */
    private int sendBatch(List<Attempt> batch, List<WriteReport.Failure> failures, List<Attempt> retries) {
        List<NetlinkRequest> requests = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            // Errors are always reported; one ack on the last request marks the end of the batch.
            requests.add(batch.get(i).request(i == batch.size() - 1));
        }
        int[] errors = socket.transactBatch(requests);
        int applied = 0;
        for (int i = 0; i < errors.length; i++) {
            int errno = -errors[i];
            Attempt a = batch.get(i);
            Attempt retry = errno == 0 ? null : a.retryAfter(errno);
            if (errno == 0 || (a.write() instanceof CtWrite.Delete && errno == ENOENT)) {
                applied++;
            } else if (retry != null) {
                retries.add(retry);
            } else {
                failures.add(new WriteReport.Failure(a.write(), errno));
            }
        }
        return applied;
    }

    @Override
    public void close() {
        socket.close();
    }
}
