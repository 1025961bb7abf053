package io.carpd.pfsync.link;

import io.carpd.pfsync.engine.PeerState;
import io.carpd.pfsync.engine.SyncSettings;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The point of issue #5 at the state level: a TCP session opened through firewall A keeps working
 * through firewall B after A dies, because B holds A's synced conntrack entry. Both firewalls drop
 * forwarded TCP that is neither established nor a SYN (and tcp_loose is off), so only the synced
 * state can carry the session; a second session whose state is removed from B before the failover
 * is the control and must stall. The failover moves the client's and server's routes from A to B
 * (what the VIP move does in production) after A's interfaces go down.
 */
class TcpFailoverNetnsTest {
    private static final byte[] KEY = "tcp-failover-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final int PORT = 18080;
    private static Netns cli;
    private static Netns srv;
    private static Netns fa;
    private static Netns fb;
    private static Netns swl;
    private static Netns sww;

    @BeforeAll
    static void lab() {
        Netns.assumeAvailable();
        try {
            cli = Netns.create("tfc");
            srv = Netns.create("tfs");
            fa = Netns.create("tfa");
            fb = Netns.create("tfb");
            swl = Netns.create("tfl");
            sww = Netns.create("tfw");
            for (Netns sw : new Netns[] {swl, sww}) {
                sw.exec("ip", "link", "add", "br0", "type", "bridge");
                sw.exec("ip", "link", "set", "br0", "up");
            }
            plug(cli, "eth0", swl, "cli");
            plug(fa, "lan", swl, "fa");
            plug(fb, "lan", swl, "fb");
            plug(srv, "eth0", sww, "srv");
            plug(fa, "wan", sww, "fa");
            plug(fb, "wan", sww, "fb");
            Netns.veth(fa, "sync", fb, "sync");
            cli.exec("ip", "addr", "add", "192.0.2.10/24", "dev", "eth0");
            cli.exec("ip", "route", "add", "default", "via", "192.0.2.1");
            srv.exec("ip", "addr", "add", "203.0.113.10/28", "dev", "eth0");
            srv.exec("ip", "route", "add", "192.0.2.0/24", "via", "203.0.113.1");
            int n = 1;
            for (Netns fw : new Netns[] {fa, fb}) {
                fw.exec("ip", "addr", "add", "192.0.2." + n + "/24", "dev", "lan");
                fw.exec("ip", "addr", "add", "203.0.113." + n + "/28", "dev", "wan");
                fw.exec("ip", "addr", "add", "198.51.100." + n + "/30", "dev", "sync");
                fw.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
                fw.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_events=1");
                fw.sh("""
                        nft -f - <<'EOF'
                        table inet fw {
                          chain forward {
                            type filter hook forward priority 0; policy drop;
                            ct state established,related accept
                            ct state new tcp flags & (syn | ack | fin | rst) == syn accept
                          }
                        }
                        EOF
                        """);
                // Without this, the kernel would adopt a mid-stream flow on its own and the test
                // could not tell synced state from pickup.
                fw.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_loose=0");
                n++;
            }
        } catch (RuntimeException e) {
            Netns.closeAll(cli, srv, fa, fb, swl, sww);
            throw e;
        }
    }

    private static void plug(Netns host, String hostIf, Netns sw, String swIf) {
        Netns.veth(host, hostIf, sw, swIf);
        sw.exec("ip", "link", "set", swIf, "master", "br0");
    }

    @AfterAll
    static void cleanup() {
        Netns.closeAll(cli, srv, fa, fb, swl, sww);
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A client socket with line I/O; the server echoes every line. */
    private record Session(Socket socket, PrintWriter out, BufferedReader in) {
        String roundTrip(String line) throws Exception {
            out.println(line);
            return in.readLine();
        }

        int localPort() {
            return socket.getLocalPort();
        }
    }

    private static Session open() throws Exception {
        Socket s = cli.call(() -> {
            Socket c = new Socket();
            c.connect(new InetSocketAddress("203.0.113.10", PORT), 3000);
            return c;
        });
        s.setSoTimeout(4000);
        return new Session(s, new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII),
                new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)));
    }

    private static void echoServer(ServerSocket server) {
        Thread.ofPlatform().daemon(true).name("echo-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread.ofPlatform().daemon(true).name("echo").start(() -> {
                        try (c; BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                             PrintWriter w = new PrintWriter(c.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                            for (String line; (line = r.readLine()) != null; ) {
                                w.println("echo " + line);
                            }
                        } catch (Exception ignored) {
                            // the client went away
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @Test
    void establishedTcpSessionSurvivesAHardFailoverOnlyThroughSyncedState() throws Exception {
        SyncSettings settings = SyncSettings.defaults(10, 32);
        StateSync.Listener quiet = new StateSync.Listener() {
            public void demotion(int value, String reason) { }
            public void peerState(PeerState from, PeerState to, String reason) { }
        };
        StateSync a = new StateSync(new LinkSettings(InetAddress.getByName("198.51.100.1"), InetAddress.getByName("198.51.100.2"),
                8372, KEY, 1, Duration.ofMillis(100), Duration.ofSeconds(1)), settings, Duration.ZERO, quiet);
        StateSync b = new StateSync(new LinkSettings(InetAddress.getByName("198.51.100.2"), InetAddress.getByName("198.51.100.1"),
                8372, KEY, 2, Duration.ofMillis(100), Duration.ofSeconds(1)), settings, Duration.ZERO, quiet);
        try (ServerSocket server = srv.call(() -> new ServerSocket(PORT, 10, InetAddress.getByName("203.0.113.10")))) {
            echoServer(server);
            fb.call(() -> {
                b.start();
                return null;
            });
            fa.call(() -> {
                a.start();
                return null;
            });
            await("sync link up", () -> b.status().join().state() == PeerState.IN_SYNC);

            Session kept = open();
            Session control = open();
            assertThat(kept.roundTrip("one")).isEqualTo("echo one");
            assertThat(control.roundTrip("one")).isEqualTo("echo one");
            String keptPorts = "sport=" + kept.localPort() + " dport=" + PORT;
            String controlPorts = "sport=" + control.localPort() + " dport=" + PORT;
            await("both sessions' states on B", () -> {
                String l = fb.run("conntrack", "-L", "-p", "tcp").output();
                return l.contains(keptPorts) && l.contains(controlPorts) && l.contains("ESTABLISHED");
            });
            // The control loses its state on B (B forgets it silently; A is not told).
            fb.exec("conntrack", "-D", "-p", "tcp", "--orig-port-src", String.valueOf(control.localPort()));

            // Hard failure of A: its daemon and its interfaces vanish; routes move to B.
            a.close();
            fa.exec("ip", "link", "set", "lan", "down");
            fa.exec("ip", "link", "set", "wan", "down");
            cli.exec("ip", "route", "replace", "default", "via", "192.0.2.2");
            srv.exec("ip", "route", "replace", "192.0.2.0/24", "via", "203.0.113.2");

            assertThat(kept.roundTrip("two")).as("session with synced state continues through B").isEqualTo("echo two");
            assertThat(kept.roundTrip("three")).isEqualTo("echo three");
            assertThatThrownBy(() -> control.roundTrip("two")).as("session without state on B stalls")
                    .isInstanceOf(SocketTimeoutException.class);
            kept.socket().close();
            control.socket().close();
        } finally {
            a.close();
            b.close();
        }
    }
}
