package io.carpd.pfsync.conntrack;

import io.carpd.core.linux.NetlinkMessage;
import io.carpd.core.linux.NetlinkRequest;
import io.carpd.core.wire.Family;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request writer and the message parser agree on layout, without a kernel. */
class CtMessagesTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** The request as the kernel would see it, wrapped as a received message. */
    private static NetlinkMessage asReceived(NetlinkRequest r, int seq) {
        ByteBuffer b = r.finish(seq);
        ByteBuffer payload = ByteBuffer.allocate(b.limit() - NetlinkMessage.HEADER_LENGTH).order(ByteOrder.nativeOrder());
        payload.put(0, b, NetlinkMessage.HEADER_LENGTH, payload.capacity());
        return new NetlinkMessage(Short.toUnsignedInt(b.getShort(4)), Short.toUnsignedInt(b.getShort(6)), b.getInt(8), 0, payload);
    }

    private static ConnState roundTrip(ConnState s) {
        NetlinkMessage m = asReceived(CtMessages.upsertRequest(s, false, true, true), 9);
        assertThat(m.type()).isEqualTo(CtMessages.CT_NEW);
        assertThat(m.sequence()).isEqualTo(9);
        assertThat(m.flags() & NetlinkRequest.NLM_F_CREATE).isNotZero();
        assertThat(m.flags() & NetlinkRequest.NLM_F_EXCL).as("no NAT: create or update in place").isZero();
        return CtMessages.parse(m);
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
        NetlinkMessage m = asReceived(CtMessages.deleteRequest(k, false), 1);
        assertThat(m.type()).isEqualTo(CtMessages.CT_DELETE);
        assertThatThrownBy(() -> CtMessages.parse(m))
                .isInstanceOf(MalformedCtMessageException.class).hasMessageContaining("both tuples");
    }

    @Test
    void natBindingIsSentOnlyWhenAskedAndMakesTheCreateExclusive() throws Exception {
        ConnState snat = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.10"), ip("198.51.100.9"), Tuple.TCP, 40000, 443),
                Tuple.ports(ip("198.51.100.9"), ip("203.0.113.4"), Tuple.TCP, 443, 61000), 0x6, 60, 0, null);
        assertThat(snat.isNatted()).isTrue();
        NetlinkMessage with = asReceived(CtMessages.upsertRequest(snat, true, true, false), 1);
        NetlinkMessage without = asReceived(CtMessages.upsertRequest(snat, false, true, false), 2);
        assertThat(with.flags() & NetlinkRequest.NLM_F_EXCL).isNotZero();
        assertThat(with.payload().limit()).isGreaterThan(without.payload().limit());
        // The kernel only sets up the binding (SRC_NAT) if the NAT range changes the reply tuple it
        // is given, so the create carries the untranslated reply; the update carries the real one.
        assertThat(CtMessages.parse(with).reply()).isEqualTo(Tuple.ports(ip("198.51.100.9"), ip("192.0.2.10"), Tuple.TCP, 443, 40000));
        assertThat(CtMessages.parse(without).reply()).isEqualTo(snat.reply());
    }

    @Test
    void truncatedTupleIsRejectedNotReadPastTheEnd() throws Exception {
        ConnState s = new ConnState(0, Family.INET,
                Tuple.ports(ip("192.0.2.1"), ip("192.0.2.2"), Tuple.UDP, 1, 2),
                Tuple.ports(ip("192.0.2.2"), ip("192.0.2.1"), Tuple.UDP, 2, 1), 0, 30, 0, null);
        NetlinkMessage m = asReceived(CtMessages.upsertRequest(s, false, true, false), 1);
        // Cut the message inside the reply tuple: the parser must notice, not invent a tuple.
        ByteBuffer cut = m.payload().slice(0, 4 + 4 + 40 + 20).order(ByteOrder.nativeOrder());
        assertThatThrownBy(() -> CtMessages.parse(new NetlinkMessage(m.type(), m.flags(), 1, 0, cut)))
                .isInstanceOf(MalformedCtMessageException.class);
        ByteBuffer noFamily = ByteBuffer.allocate(2);
        assertThatThrownBy(() -> CtMessages.parse(new NetlinkMessage(m.type(), m.flags(), 1, 0, noFamily)))
                .isInstanceOf(MalformedCtMessageException.class).hasMessageContaining("nfgenmsg");
    }
}
