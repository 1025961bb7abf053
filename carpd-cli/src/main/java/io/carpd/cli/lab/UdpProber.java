package io.carpd.cli.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends a numbered UDP datagram every {@code interval} to an echo server and measures the longest
 * time without replies: the outage a client sees during a failover. Bounded by {@code duration}.
 * Each gap longer than three intervals is printed when it ends, with wall-clock times so another
 * process can line it up with the moment it injected a failure.
 */
public final class UdpProber {

    /** Outcome of one probe run. */
    public record Result(long sent, long received, long longestGapMillis, long gapStartEpochMillis,
                         long gapEndEpochMillis) {
        /** Reads back the summary {@link #line()} printed by a prober in another process. */
        public static Result parse(String line) {
            Map<String, Long> f = new HashMap<>();
            for (String part : line.strip().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
                }
            }
            if (!line.startsWith("probe ") || f.size() != 5) {
                throw new IllegalArgumentException("not a prober summary: " + line);
            }
            return new Result(f.get("sent"), f.get("received"), f.get("longest_gap_ms"), f.get("gap_start"),
                    f.get("gap_end"));
        }

        public String line() {
            return "probe sent=" + sent + " received=" + received + " longest_gap_ms=" + longestGapMillis
                    + " gap_start=" + gapStartEpochMillis + " gap_end=" + gapEndEpochMillis;
        }
    }

    private final InetSocketAddress target;
    private final Duration interval;
    private final Duration duration;
    /** Datagrams sent so far; written by the sender thread only. */
    private volatile long sent;

    public UdpProber(InetSocketAddress target, Duration interval, Duration duration) {
        this.target = target;
        this.interval = interval;
        this.duration = duration;
    }

    public Result run(PrintStream out) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long gapThreshold = 3 * interval.toNanos();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(20);
            out.println("probe started");
            out.flush();
            Thread sender = Thread.ofPlatform().name("prober-send").daemon().start(() -> send(socket, end));
            long received = 0;
            long lastReplyNanos = 0;
            long lastReplyEpoch = 0;
            long longest = 0;
            long longestStart = 0;
            long longestEnd = 0;
            byte[] buf = new byte[64];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (System.nanoTime() < end + interval.toNanos() * 5) {
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                long now = System.nanoTime();
                long nowEpoch = System.currentTimeMillis();
                received++;
                if (lastReplyNanos != 0 && now - lastReplyNanos > gapThreshold) {
                    long gapMs = (now - lastReplyNanos) / 1_000_000;
                    out.println("gap " + gapMs + " ms from " + lastReplyEpoch + " to " + nowEpoch);
                    out.flush();
                }
                if (lastReplyNanos != 0 && now - lastReplyNanos > longest) {
                    longest = now - lastReplyNanos;
                    longestStart = lastReplyEpoch;
                    longestEnd = nowEpoch;
                }
                lastReplyNanos = now;
                lastReplyEpoch = nowEpoch;
            }
            sender.join();
            if (lastReplyNanos != 0 && end - lastReplyNanos > Math.max(longest, gapThreshold)) {
                // replies never came back: the outage lasts until the end of the run (gap_end 0)
                longest = end - lastReplyNanos;
                longestStart = lastReplyEpoch;
                longestEnd = 0;
                out.println("gap " + longest / 1_000_000 + " ms from " + lastReplyEpoch + " still open at the end");
            }
            Result r = received == 0
                    ? new Result(sent, 0, duration.toMillis(), 0, 0)
                    : new Result(sent, received, longest / 1_000_000, longestStart, longestEnd);
            out.println(r.line());
            out.flush();
            return r;
        }
    }

    private void send(DatagramSocket socket, long end) {
        ByteBuffer payload = ByteBuffer.allocate(16);
        long next = System.nanoTime();
        long seq = 0;
        while (next < end) {
            payload.clear();
            payload.putLong(seq++).putLong(next);
            try {
                socket.send(new DatagramPacket(payload.array(), payload.capacity(), target));
                sent = seq;
            } catch (IOException unreachable) {
                // no route or neighbour while the VIP moves: that is the outage being measured
                sent = seq;
            }
            next += interval.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
