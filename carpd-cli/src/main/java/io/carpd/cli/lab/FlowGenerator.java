package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one UDP datagram per bench flow from the client namespace to the server, paced to a flow
 * rate: each datagram opens a new connection on the MASTER. Bounded by the flow count and a
 * deadline of twice the planned duration, so a starved generator still stops by itself.
 */
final class FlowGenerator {

    private static final int PAYLOAD_BYTES = 16;
    /** Below this lead over the schedule the generator sleeps instead of sending. */
    private static final long PARK_NANOS = 200_000;

    private FlowGenerator() {}

    /** What was sent: count and the wall time from first to last datagram. */
    record Sent(int flows, long startNanos, long endNanos) {
        double ratePerSecond() {
            long span = Math.max(1, endNanos - startNanos);
            return flows <= 1 ? flows : (flows - 1) * 1e9 / span;
        }
    }

    static Sent send(String clientNs, BenchFlows flows, int ratePerSecond) {
        List<DatagramChannel> sources = InNamespace.call(clientNs, () -> open(flows));
        try {
            InetSocketAddress[] targets = new InetSocketAddress[BenchFlows.PER_SOURCE];
            for (int d = 0; d < targets.length; d++) {
                targets[d] = new InetSocketAddress(Topology.serverAddress(), BenchFlows.destinationPort(d));
            }
            ByteBuffer payload = ByteBuffer.allocateDirect(PAYLOAD_BYTES);
            double nanosPerFlow = 1e9 / ratePerSecond;
            long start = System.nanoTime();
            long deadline = start + (long) (2 * flows.count() * nanosPerFlow) + 1_000_000_000L;
            int sent = 0;
            long last = start;
            while (sent < flows.count()) {
                long now = System.nanoTime();
                if (now > deadline) {
                    break;
                }
                int due = (int) Math.min(flows.count(), (now - start) / nanosPerFlow + 1);
                if (due <= sent) {
                    LockSupport.parkNanos(Math.min(PARK_NANOS, (long) (sent * nanosPerFlow) - (now - start)));
                    continue;
                }
                for (; sent < due; sent++) {
                    payload.clear();
                    sources.get(sent / BenchFlows.PER_SOURCE).send(payload, targets[sent % BenchFlows.PER_SOURCE]);
                }
                last = System.nanoTime();
            }
            return new Sent(sent, start, last);
        } catch (IOException e) {
            throw new UncheckedIOException("sending bench flows", e);
        } finally {
            for (DatagramChannel c : sources) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing a UDP socket cannot lose anything
                }
            }
        }
    }

    private static List<DatagramChannel> open(BenchFlows flows) throws IOException {
        List<DatagramChannel> out = new ArrayList<>();
        for (int s = 0; s < flows.sources(); s++) {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            out.add(c);
            c.bind(new InetSocketAddress(Topology.clientAddress(), flows.sourceBase() + s));
        }
        return out;
    }
}
