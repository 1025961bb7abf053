package io.carpd.cli.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Echoes UDP datagrams back to their sender until a deadline; the server side of the prober. */
public final class UdpEcho {

    private final int port;
    private final Duration lifetime;

    public UdpEcho(int port, Duration lifetime) {
        this.port = port;
        this.lifetime = lifetime;
    }

    /** Serves until {@code lifetime} has passed; returns the number of datagrams echoed. */
    public long run() throws IOException {
        long deadline = System.nanoTime() + lifetime.toNanos();
        long echoed = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(port))) {
            socket.setSoTimeout(200);
            byte[] buf = new byte[1500];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (System.nanoTime() < deadline) {
                packet.setLength(buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                socket.send(packet);
                echoed++;
            }
        }
        return echoed;
    }
}
