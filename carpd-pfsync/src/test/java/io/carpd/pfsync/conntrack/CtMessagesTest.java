package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.netlink.MalformedNetlinkException;
import io.carpd.pfsync.netlink.NlBuilder;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request writer and the message parser agree on layout, without a kernel. */
class CtMessagesTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static ConnState roundTrip(ConnState s) {
        NlBuilder b = new NlBuilder(4096);
        CtMessages.writeUpsert(b, 9, true, s, false);
        ByteBuffer buf = b.flip();
        assertThat(CtMessages.type(buf, 0)).isEqualTo(CtMessages.CT_NEW);
        assertThat(CtMessages.seq(buf, 0)).isEqualTo(9);
        assertThat(CtMessages.flags(buf, 0) & CtMessages.NLM_F_CREATE).isNotZero();
        return CtMessages.parse(buf, 0, CtMessages.length(buf, 0, buf.limit()));
    }

    @Test
    void tcpUpsertCarriesTuplesZoneMarkAndLiberalFlags() throws Exception {
        ConnState s = new ConnState(3, Family.INET6,
                Tuple.ports(ip("2001:db8::1"), ip("2001:db8::2"), Tuple.TCP, 1234, 443),
                Tuple.ports(ip("2001:db8::2"), ip("2001:db8::1"), Tuple.TCP, 443, 1234),
                0x0e, 500, 77, new TcpInfo(TcpInfo.ESTABLISHED, 7, 8, 0x03, 0x01));
        ConnState back = roundTrip(s);
        assertThat(back.key()).isEqualTo(s.key());
        assertThat(back.reply()).isEqualTo(s.reply());
        assertThat(back.mark()).isEqualTo(77);
        assertThat(back.timeoutSeconds()).isEqualTo(500);
        assertThat(back.tcp()).isEqualTo(new TcpInfo(TcpInfo.ESTABLISHED, 7, 8, 0x0b, 0x09));
    }

    @Test
    void statusSentIsConfirmedAndNeverExpectedOrDying() {
        assertThat(CtMessages.writableStatus(0x6)).isEqualTo(0xe);
        assertThat(CtMessages.writableStatus(0x1 | 0x200 | 0x4)).isEqualTo(0xc);
    }

    @Test
    void icmpTupleKeepsTypeCodeAndId() throws Exception {
        ConnState s = new ConnState(0, Family.INET,
                Tuple.icmp(ip("192.0.2.1"), ip("192.0.2.2"), Tuple.ICMP, 8, 0, 99),
                Tuple.icmp(ip("192.0.2.2"), ip("192.0.2.1"), Tuple.ICMP, 0, 0, 99), 0x8, 30, 0, null);
        ConnState back = roundTrip(s);
        assertThat(back.original()).isEqualTo(s.original());
        assertThat(back.reply()).isEqualTo(s.reply());
        assertThat(back.tcp()).isNull();
    }

    @Test
    void deleteNamesOnlyTheOriginalTupleAndZone() throws Exception {
        ConnKey k = new ConnKey(5, Family.INET, Tuple.ports(ip("192.0.2.1"), ip("192.0.2.2"), Tuple.UDP, 1, 2));
        NlBuilder b = new NlBuilder(1024);
        CtMessages.writeDelete(b, 1, false, k);
        ByteBuffer buf = b.flip();
        assertThat(CtMessages.type(buf, 0)).isEqualTo(CtMessages.CT_DELETE);
        assertThatThrownBy(() -> CtMessages.parse(buf, 0, buf.limit()))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("both tuples");
    }

    @Test
    void truncatedAttributeIsRejectedNotReadPastTheEnd() throws Exception {
        ConnState s = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.1"), ip("192.0.2.2"), Tuple.UDP, 1, 2),
                Tuple.ports(ip("192.0.2.2"), ip("192.0.2.1"), Tuple.UDP, 2, 1), 0, 30, 0, null);
        NlBuilder b = new NlBuilder(1024);
        CtMessages.writeUpsert(b, 1, false, s, false);
        ByteBuffer buf = b.flip();
        int cut = buf.limit() - 6;
        assertThatThrownBy(() -> CtMessages.parse(buf, 0, cut)).isInstanceOf(MalformedNetlinkException.class);
        assertThatThrownBy(() -> CtMessages.length(buf, 0, cut)).isInstanceOf(MalformedNetlinkException.class);
    }
}
