package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.NetlinkSocket;
import io.carpd.core.wire.Family;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ctnetlink against a real kernel: a client namespace and a firewall namespace joined by a veth
 * pair, an nftables ruleset with {@code ct state} in the firewall so conntrack tracks, bounded
 * traffic between them, and conntrack(8) as the independent witness of what we write.
 */
class CtnetlinkNetnsTest {
    private static Netns client;
    private static Netns fw;

    @BeforeAll
    static void lab() {
        Netns.assumeAvailable();
        try {
            client = Netns.create("ctc");
            fw = Netns.create("ctfw");
            Netns.veth(client, "v0", fw, "v1");
            client.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "v0");
            client.exec("ip", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad");
            fw.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "v1");
            fw.exec("ip", "addr", "add", "2001:db8::2/64", "dev", "v1", "nodad");
            fw.sh("""
                    nft -f - <<'EOF'
                    table inet carpdtest {
                      chain input { type filter hook input priority 0; policy accept; ct state established,related accept; ct state new accept; }
                      chain post { type nat hook postrouting priority 100; policy accept; }
                    }
                    EOF
                    """);
        } catch (RuntimeException e) {
            Netns.closeAll(client, fw);
            throw e;
        }
    }

    @AfterAll
    static void cleanup() {
        Netns.closeAll(client, fw);
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static List<CtEvent> collect(CtEventSource src, Predicate<List<CtEvent>> until, long timeoutMs) {
        List<CtEvent> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline && !until.test(got)) {
            src.poll(100, got::add);
        }
        return got;
    }

    private static boolean hasNew(List<CtEvent> events, Predicate<ConnState> p) {
        return events.stream().anyMatch(e -> e instanceof CtEvent.New n && p.test(n.state()));
    }

    @Test
    void trafficProducesParsedNewEventsForIcmpIcmpv6UdpAndTcp() throws Exception {
        try (CtEventSource src = fw.call(() -> CtEventSource.open(8 << 20))) {
            assertThat(src.receiveBuffer()).isGreaterThanOrEqualTo(8 << 20);
            Process server = new ProcessBuilder("ip", "netns", "exec", fw.name(), "timeout", "8", "socat", "-u",
                    "TCP-LISTEN:8080,reuseaddr", "OPEN:/dev/null").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                client.exec("ping", "-c", "1", "-W", "2", "192.0.2.2");
                client.exec("ping", "-6", "-c", "1", "-W", "2", "2001:db8::2");
                client.sh("echo hello | timeout 5 socat -u - UDP:192.0.2.2:5353");
                tcpConnect(client, "192.0.2.2", 8080);
                Predicate<ConnState> icmp = s -> s.protocol() == Tuple.ICMP && s.original().icmpType() == 8
                        && s.original().src().getHostAddress().equals("192.0.2.1");
                Predicate<ConnState> icmp6 = s -> s.protocol() == Tuple.ICMPV6 && s.original().icmpType() == 128
                        && s.family() == Family.INET6;
                Predicate<ConnState> udp = s -> s.protocol() == Tuple.UDP && s.original().dstPort() == 5353;
                Predicate<ConnState> tcp = s -> s.protocol() == Tuple.TCP && s.original().dstPort() == 8080;
                List<CtEvent> events = collect(src, ev -> hasNew(ev, icmp) && hasNew(ev, icmp6) && hasNew(ev, udp)
                        && hasNew(ev, tcp) && ev.stream().anyMatch(e -> e instanceof CtEvent.Update u && tcp.test(u.state())
                        && u.state().tcp() != null && u.state().tcp().state() >= TcpInfo.ESTABLISHED), 5000);

                ConnState ping = first(events, icmp);
                assertThat(ping.reply().icmpType()).isZero();
                assertThat(ping.reply().icmpId()).isEqualTo(ping.original().icmpId());
                assertThat(ping.reply().src().getHostAddress()).isEqualTo("192.0.2.2");
                assertThat(ping.isNatted()).isFalse();
                assertThat(ping.timeoutSeconds()).isPositive();
                assertThat(first(events, icmp6).reply().icmpType()).isEqualTo(129);
                ConnState u = first(events, udp);
                assertThat(u.original().srcPort()).isEqualTo(u.reply().dstPort());
                assertThat(u.zone()).isZero();
                ConnState t = first(events, tcp);
                assertThat(t.tcp()).isNotNull();
                assertThat(t.tcp().state()).isEqualTo(1); // SYN_SENT as first confirmed
                assertThat(events).anyMatch(e -> e instanceof CtEvent.Update up && tcp.test(up.state())
                        && up.state().tcp() != null && up.state().tcp().state() >= TcpInfo.ESTABLISHED);
                assertThat(src.malformedDropped()).isZero();
            } finally {
                server.destroyForcibly();
            }
        }
    }

    private static void tcpConnect(Netns ns, String host, int port) {
        for (int attempt = 0; ; attempt++) {
            try {
                ns.sh("echo hi | timeout 5 socat -u - TCP:" + host + ":" + port);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 20) {
                    throw e;
                }
                sleep(100); // listener not up yet
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConnState first(List<CtEvent> events, Predicate<ConnState> p) {
        return events.stream().filter(e -> e instanceof CtEvent.New n && p.test(n.state()))
                .map(e -> ((CtEvent.New) e).state()).findFirst()
                .orElseThrow(() -> new AssertionError("no matching NEW event in " + events));
    }

    @Test
    void injectedEntriesAppearInConntrackListAndDumpAndCanBeDeleted() throws Exception {
        ConnState tcp = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.10"), ip("192.0.2.20"), Tuple.TCP, 40000, 22),
                Tuple.ports(ip("192.0.2.20"), ip("192.0.2.10"), Tuple.TCP, 22, 40000),
                ConnState.STATUS_SEEN_REPLY | ConnState.STATUS_ASSURED, 3000, 0x2a,
                new TcpInfo(TcpInfo.ESTABLISHED, 7, 7, TcpInfo.FLAG_SACK_PERM | TcpInfo.FLAG_WINDOW_SCALE,
                        TcpInfo.FLAG_SACK_PERM | TcpInfo.FLAG_WINDOW_SCALE));
        ConnState udp6 = new ConnState(7, Family.INET6,
                Tuple.ports(ip("2001:db8::10"), ip("2001:db8::20"), Tuple.UDP, 5000, 53),
                Tuple.ports(ip("2001:db8::20"), ip("2001:db8::10"), Tuple.UDP, 53, 5000),
                ConnState.STATUS_SEEN_REPLY, 100, 0, null);
        ConnState icmp = new ConnState(0, Family.INET,
                Tuple.icmp(ip("192.0.2.10"), ip("192.0.2.20"), Tuple.ICMP, 8, 0, 4242),
                Tuple.icmp(ip("192.0.2.20"), ip("192.0.2.10"), Tuple.ICMP, 0, 0, 4242),
                ConnState.STATUS_SEEN_REPLY, 25, 0, null);
        ConnState icmp6 = new ConnState(0, Family.INET6,
                Tuple.icmp(ip("2001:db8::10"), ip("2001:db8::20"), Tuple.ICMPV6, 128, 0, 4343),
                Tuple.icmp(ip("2001:db8::20"), ip("2001:db8::10"), Tuple.ICMPV6, 129, 0, 4343),
                ConnState.STATUS_SEEN_REPLY, 25, 0, null);
        ConnState snat = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.10"), ip("198.51.100.99"), Tuple.TCP, 40001, 443),
                Tuple.ports(ip("198.51.100.99"), ip("203.0.113.4"), Tuple.TCP, 443, 61001),
                ConnState.STATUS_SEEN_REPLY | ConnState.STATUS_ASSURED, 3000, 0,
                new TcpInfo(TcpInfo.ESTABLISHED, 0, 0, 0, 0));

        try (CtClient ct = fw.call(CtClient::open);
             CtEventSource events = fw.call(() -> CtEventSource.open(1 << 20));
             CtEventSource everything = fw.call(() -> CtEventSource.open(1 << 20))) {
            events.ignoreOrigins(ct.portId());
            WriteReport r = ct.write(List.of(new CtWrite.Upsert(tcp), new CtWrite.Upsert(udp6),
                    new CtWrite.Upsert(icmp), new CtWrite.Upsert(snat), new CtWrite.Upsert(icmp6)));
            assertThat(r.failures()).isEmpty();
            assertThat(r.applied()).isEqualTo(5);

            String list = fw.exec("conntrack", "-L");
            assertThat(list).containsPattern("tcp .*ESTABLISHED src=192\\.0\\.2\\.10 dst=192\\.0\\.2\\.20 sport=40000 dport=22 "
                    + "src=192\\.0\\.2\\.20 dst=192\\.0\\.2\\.10 sport=22 dport=40000 \\[ASSURED\\] mark=42");
            assertThat(list).containsPattern("icmp .*src=192\\.0\\.2\\.10 dst=192\\.0\\.2\\.20 type=8 code=0 id=4242");
            assertThat(list).containsPattern("src=192\\.0\\.2\\.10 dst=198\\.51\\.100\\.99 sport=40001 dport=443 "
                    + "src=198\\.51\\.100\\.99 dst=203\\.0\\.113\\.4 sport=443 dport=61001");
            String list6 = fw.exec("conntrack", "-L", "-f", "ipv6", "-w", "7");
            assertThat(list6).containsPattern("udp .*src=2001:db8::10 dst=2001:db8::20 sport=5000 dport=53");
            assertThat(fw.exec("conntrack", "-L", "-f", "ipv6"))
                    .containsPattern("icmpv6 .*src=2001:db8::10 dst=2001:db8::20 type=128 code=0 id=4343");

            List<ConnState> dump = ct.dump();
            ConnState dumped = dump.stream().filter(s -> s.key().equals(tcp.key())).findFirst().orElseThrow();
            assertThat(dumped.reply()).isEqualTo(tcp.reply());
            assertThat(dumped.mark()).isEqualTo(0x2a);
            assertThat(dumped.tcp().state()).isEqualTo(TcpInfo.ESTABLISHED);
            assertThat(dumped.tcp().flagsOriginal() & TcpInfo.FLAG_BE_LIBERAL).isNotZero();
            assertThat(dumped.tcp().flagsReply() & TcpInfo.FLAG_BE_LIBERAL).isNotZero();
            assertThat(dumped.status() & ConnState.STATUS_ASSURED).isNotZero();
            assertThat(dump).anyMatch(s -> s.key().equals(udp6.key()) && s.zone() == 7);
            ConnState dumpedNat = dump.stream().filter(s -> s.key().equals(snat.key())).findFirst().orElseThrow();
            assertThat(dumpedNat.reply()).isEqualTo(snat.reply());
            assertThat(dumpedNat.isNatted()).isTrue();

            // Update in place: NAT'd entry again (EEXIST is retried without NAT), new mark and timeout.
            WriteReport again = ct.write(List.of(new CtWrite.Upsert(new ConnState(0, Family.INET, tcp.original(),
                    tcp.reply(), tcp.status(), 2000, 7, tcp.tcp())), new CtWrite.Upsert(snat.withTimeout(1000))));
            assertThat(again.failures()).isEmpty();
            assertThat(again.applied()).isEqualTo(2);
            assertThat(fw.exec("conntrack", "-L", "-p", "tcp", "--dport", "22")).contains("mark=7");

            // An older copy without ASSURED cannot clear the bit (EBUSY): it is applied without status.
            WriteReport older = ct.write(List.of(new CtWrite.Upsert(new ConnState(0, Family.INET, tcp.original(),
                    tcp.reply(), ConnState.STATUS_SEEN_REPLY, 1500, 7, tcp.tcp()))));
            assertThat(older.failures()).isEmpty();
            assertThat(older.applied()).isEqualTo(1);
            assertThat(fw.exec("conntrack", "-L", "-p", "tcp", "--dport", "22")).contains("[ASSURED]");

            // Our own writes must not come back as events; a listener that does not ignore us sees them.
            List<CtEvent> seen = new ArrayList<>();
            while (events.poll(300, seen::add)) {
                // until quiet
            }
            List<CtEvent> all = new ArrayList<>();
            while (everything.poll(300, all::add)) {
                // until quiet
            }
            assertThat(all).anyMatch(e -> e instanceof CtEvent.New n && n.state().key().equals(tcp.key()));
            assertThat(seen).noneMatch(e -> e instanceof CtEvent.New n && n.state().key().equals(tcp.key()))
                    .noneMatch(e -> e instanceof CtEvent.Update u && u.state().key().equals(tcp.key()));

            WriteReport del = ct.write(List.of(new CtWrite.Delete(tcp.key()), new CtWrite.Delete(udp6.key()),
                    new CtWrite.Delete(icmp.key()), new CtWrite.Delete(snat.key()), new CtWrite.Delete(icmp6.key())));
            assertThat(del.failures()).isEmpty();
            assertThat(fw.exec("conntrack", "-L")).doesNotContain("dport=22 ").doesNotContain("type=8 code=0 id=4242");
            assertThat(fw.exec("conntrack", "-L", "-f", "ipv6")).doesNotContain("dport=53").doesNotContain("id=4343");
            assertThat(ct.write(List.of(new CtWrite.Delete(tcp.key()))).applied())
                    .as("deleting an absent entry is done, not an error").isEqualTo(1);
        }
    }

    /** The kernel-side filter alone (no userspace skipping): a raw subscriber never sees our writes. */
    @Test
    void theSocketFilterDropsMessagesFromTheGivenSenderInTheKernel() throws Exception {
        ConnState t = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.77"), ip("203.0.113.77"), Tuple.TCP, 40777, 7777),
                Tuple.ports(ip("203.0.113.77"), ip("192.0.2.77"), Tuple.TCP, 7777, 40777),
                ConnState.STATUS_SEEN_REPLY | ConnState.STATUS_ASSURED, 300, 0, new TcpInfo(TcpInfo.ESTABLISHED, 0, 0, 0, 0));
        try (CtClient ct = fw.call(CtClient::open);
             NetlinkSocket filtered = fw.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, CtMessages.GROUPS_NEW_UPDATE_DESTROY));
             NetlinkSocket plain = fw.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, CtMessages.GROUPS_NEW_UPDATE_DESTROY))) {
            filtered.dropMessagesFrom(12345, ct.portId());
            assertThat(ct.write(List.of(new CtWrite.Upsert(t), new CtWrite.Delete(t.key()))).failures()).isEmpty();
            List<Integer> fromUs = new ArrayList<>();
            while (plain.receive(m -> fromUs.add(m.portId()), 300)) {
                // until quiet
            }
            List<Integer> throughFilter = new ArrayList<>();
            while (filtered.receive(m -> throughFilter.add(m.portId()), 300)) {
                // until quiet
            }
            assertThat(fromUs).as("new and destroy events, sent on behalf of our socket").filteredOn(p -> p == ct.portId()).hasSize(2);
            assertThat(throughFilter).doesNotContain(ct.portId());
        }
    }

    @Test
    void refusedWritesAreReportedWithErrno() throws Exception {
        // The kernel requires reply tuple and original tuple protocols to agree with what it can track;
        // a reply tuple from another zone's address family is impossible here, so use an ICMP type
        // that has no reply type (13 timestamp is fine; 3 unreachable is not a query) -> EINVAL.
        ConnState bad = new ConnState(0, Family.INET,
                Tuple.icmp(ip("192.0.2.10"), ip("192.0.2.20"), Tuple.ICMP, 3, 0, 1),
                Tuple.icmp(ip("192.0.2.20"), ip("192.0.2.10"), Tuple.ICMP, 3, 0, 1),
                0, 30, 0, null);
        try (CtClient ct = fw.call(CtClient::open)) {
            WriteReport r = ct.write(List.of(new CtWrite.Upsert(bad)));
            assertThat(r.applied()).isZero();
            assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.errno()).isEqualTo(22));
        }
    }

    @Test
    void eventOverrunIsReportedAsAnEvent() throws Exception {
        try (CtClient ct = fw.call(CtClient::open);
             CtEventSource small = fw.call(() -> CtEventSource.open(1))) {
            List<CtWrite> many = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                many.add(new CtWrite.Upsert(new ConnState(0, Family.INET,
                        Tuple.ports(ip("192.0.2.30"), ip("192.0.2.40"), Tuple.UDP, 10000 + i, 53),
                        Tuple.ports(ip("192.0.2.40"), ip("192.0.2.30"), Tuple.UDP, 53, 10000 + i), 0, 30, 0, null)));
            }
            assertThat(ct.write(many).applied()).isEqualTo(300);
            LinkedBlockingQueue<CtEvent> got = new LinkedBlockingQueue<>();
            for (int i = 0; i < 50 && got.stream().noneMatch(e -> e instanceof CtEvent.Overrun); i++) {
                small.poll(100, got::add);
            }
            assertThat(got).anyMatch(e -> e instanceof CtEvent.Overrun);
            assertThat(small.overruns()).isPositive();
            ct.write(many.stream().map(w -> (CtWrite) new CtWrite.Delete(((CtWrite.Upsert) w).state().key())).toList());
        }
    }
}
