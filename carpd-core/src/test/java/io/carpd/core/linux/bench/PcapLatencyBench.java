package io.carpd.core.linux.bench;

import io.carpd.core.linux.PacketPort;
import io.carpd.testing.Netns;

import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Send-to-handler latency of a CARP-sized frame through two {@link PacketPort}s joined by a veth
 * pair in throw-away namespaces: one frame in flight at a time, so the numbers are per-frame latency
 * (pcap inject, veth, capture ring in immediate mode, capture thread wake-up), not throughput.
 * Run with {@code bin/bench-pcap [frames]} (default 500, at most 10 000) as root.
 */
public final class PcapLatencyBench {
    private PcapLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Math.min(Integer.parseInt(args[0]), 10_000) : 500;
        Netns a = Netns.create("bencha");
        Netns b = Netns.create("benchb");
        try {
            Netns.veth(a, "eth0", b, "eth0");
            LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
            try (PacketPort sender = a.call(() -> PacketPort.open("eth0"));
                 PacketPort receiver = b.call(() -> PacketPort.open("eth0"))) {
                receiver.startCapture((f, n) -> arrivals.offer(System.nanoTime()));
                byte[] frame = carpSizedFrame();
                long[] micros = new long[frames];
                int lost = 0;
                for (int i = 0; i < frames; i++) {
                    arrivals.clear(); // a frame later than the timeout must not count for the next one
                    long sent = System.nanoTime();
                    sender.send(frame, frame.length);
                    Long arrived = arrivals.poll(1, TimeUnit.SECONDS);
                    if (arrived == null) {
                        lost++;
                        micros[i] = Long.MAX_VALUE;
                    } else {
                        micros[i] = (arrived - sent) / 1_000;
                    }
                }
                Arrays.sort(micros);
                int received = frames - lost;
                System.out.printf("pcap veth send->handler latency, %d frames: received %d, lost %d%n", frames, received, lost);
                if (received > 0) {
                    System.out.printf("  p50 %d us  p90 %d us  p99 %d us  max %d us%n", micros[received / 2],
                            micros[(int) (received * 0.9)], micros[Math.min(received - 1, (int) (received * 0.99))],
                            micros[received - 1]);
                }
            }
        } finally {
            Netns.closeAll(a, b);
        }
        System.exit(0); // the capture threads are daemons, but JNA keeps a few non-daemon helpers alive
    }

    /** A 70-byte IPv4 protocol-112 frame to 224.0.0.18 (content is irrelevant to the timing). */
    private static byte[] carpSizedFrame() {
        byte[] f = new byte[70];
        byte[] dst = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
        System.arraycopy(dst, 0, f, 0, 6);
        f[6] = 0x02;
        f[12] = 0x08;
        f[14] = 0x45;
        f[17] = 56;
        f[22] = (byte) 255;
        f[23] = 112;
        f[30] = (byte) 224;
        f[33] = 18;
        return f;
    }
}
