package io.carpd.cli.lab;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP client for the failover tests, run as its own JVM inside the client namespace: streams
 * {@code total} bytes of a fixed pseudo-random sequence to an echo server in chunks at a bounded
 * pace and checks every echoed byte against the sequence. It prints {@code verified N} lines (every
 * 100 ms while the count grows) and ends with {@code done N} (exit 0), {@code mismatch at N}
 * (exit 3) or {@code error ...} (exit 2, e.g. a reset).
 *
 * <p>Usage: {@code TcpStreamCheck HOST PORT TOTAL_BYTES CHUNK_BYTES INTERVAL_MS}
 */
public final class TcpStreamCheck {

    private TcpStreamCheck() {}

    /** Byte {@code i} of the stream: no short period, so a lost or repeated block cannot match. */
    static byte at(long i) {
        return (byte) ((i * 2654435761L) >>> 11 ^ (i >>> 8));
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long total = Long.parseLong(args[2]);
        int chunk = Integer.parseInt(args[3]);
        long intervalMs = Long.parseLong(args[4]);
        AtomicLong verified = new AtomicLong();
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setTcpNoDelay(true);
        System.out.println("connected local port " + s.getLocalPort());
        System.out.flush();

        Thread writer = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[chunk];
                for (long off = 0; off < total; off += chunk) {
                    int n = (int) Math.min(chunk, total - off);
                    for (int i = 0; i < n; i++) {
                        buf[i] = at(off + i);
                    }
                    out.write(buf, 0, n);
                    Thread.sleep(intervalMs);
                }
            } catch (Exception e) {
                System.out.println("error writing: " + e);
                System.out.flush();
                System.exit(2);
            }
        });
        Thread.ofPlatform().daemon(true).start(() -> {
            long last = -1;
            while (true) {
                long v = verified.get();
                if (v != last) {
                    System.out.println("verified " + v);
                    System.out.flush();
                    last = v;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            long off = 0;
            while (off < total) {
                int n = in.read(buf);
                if (n < 0) {
                    System.out.println("error: end of stream after " + off + " bytes");
                    System.out.flush();
                    System.exit(2);
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != at(off + i)) {
                        System.out.println("mismatch at " + (off + i));
                        System.out.flush();
                        System.exit(3);
                    }
                }
                off += n;
                verified.set(off);
            }
        } catch (Exception e) {
            System.out.println("error reading after " + verified.get() + " bytes: " + e);
            System.out.flush();
            System.exit(2);
        }
        writer.join(1000);
        System.out.println("verified " + verified.get());
        System.out.println("done " + verified.get());
        System.out.flush();
        s.close();
        System.exit(0);
    }
}
