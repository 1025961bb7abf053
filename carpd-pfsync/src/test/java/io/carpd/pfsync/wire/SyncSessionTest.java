package io.carpd.pfsync.wire;

import io.carpd.core.wire.Family;
import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.TcpInfo;
import io.carpd.pfsync.conntrack.Tuple;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncSessionTest {
    private static final byte[] KEY = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);

    private static SyncSession session(int node, long nonce) {
        return new SyncSession(KEY, node, ProtocolVersions.CURRENT, new SessionNonce(nonce, ~nonce));
    }

    /** Connects two sessions by exchanging HELLOs; returns {a, b}. */
    private static SyncSession[] pair() {
        SyncSession a = session(1, 11);
        SyncSession b = session(2, 22);
        assertThat(b.receive(a.helloFrame())).isEqualTo(new SyncSession.Inbound.Established(1, 1));
        assertThat(a.receive(b.helloFrame())).isEqualTo(new SyncSession.Inbound.Established(2, 1));
        return new SyncSession[] {a, b};
    }

    static ConnState tcpState() throws Exception {
        return new ConnState(0, Family.INET,
                Tuple.ports(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("198.51.100.7"), Tuple.TCP, 40000, 443),
                Tuple.ports(InetAddress.getByName("198.51.100.7"), InetAddress.getByName("203.0.113.4"), Tuple.TCP, 443, 61000),
                0x18e, 431999, 0x10, new TcpInfo(TcpInfo.ESTABLISHED, 7, 9, 0x03, 0x23));
    }

    static ConnState icmp6State() throws Exception {
        return new ConnState(12, Family.INET6,
                Tuple.icmp(InetAddress.getByName("2001:db8::1"), InetAddress.getByName("2001:db8:1::2"), Tuple.ICMPV6, 128, 0, 777),
                Tuple.icmp(InetAddress.getByName("2001:db8:1::2"), InetAddress.getByName("2001:db8::1"), Tuple.ICMPV6, 129, 0, 777),
                0x8, ConnState.NO_TIMEOUT, 0, null);
    }

    @Test
    void everyRecordTypeRoundTrips() throws Exception {
        SyncSession[] s = pair();
        ConnKey udpKey = new ConnKey(3, Family.INET, Tuple.ports(InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.2"), Tuple.UDP, 53, 5353));
        ConnKey greKey = new ConnKey(0, Family.INET, Tuple.ports(InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.2"), 47, 0, 0));
        List<SyncRecord> records = List.of(
                new SyncRecord.StateUpsert(tcpState()),
                new SyncRecord.StateUpsert(icmp6State()),
                new SyncRecord.StateDelete(udpKey),
                new SyncRecord.UpdateRequest(greKey),
                new SyncRecord.BulkRequest(),
                new SyncRecord.BulkStart(-5),
                new SyncRecord.BulkEnd(-5, 123456789012L),
                new SyncRecord.Keepalive(1_000_000_007L, 42, 17),
                new SyncRecord.Ack(99),
                new SyncRecord.VhidStates(List.of(new VhidState("lan", 2, io.carpd.core.election.CarpState.MASTER),
                        new VhidState("wan0.100", 255, io.carpd.core.election.CarpState.BACKUP),
                        new VhidState("x", 1, io.carpd.core.election.CarpState.INIT))));
        byte[] frame = s[0].encode(1, records);
        int expected = FrameCodec.frameSize(records.stream().mapToInt(FrameCodec::recordSize).sum());
        assertThat(frame).hasSize(expected);
        assertThat(s[1].receive(frame)).isEqualTo(new SyncSession.Inbound.Records(1, records));
        // and the other direction works independently
        assertThat(s[0].receive(s[1].encode(1, List.of(new SyncRecord.Ack(1)))))
                .isEqualTo(new SyncSession.Inbound.Records(1, List.of(new SyncRecord.Ack(1))));
    }

    @Test
    void frameWithWrongKeyIsRejectedAsBadMac() {
        SyncSession a = new SyncSession("another key of 16+ bytes".getBytes(StandardCharsets.US_ASCII), 1,
                ProtocolVersions.CURRENT, new SessionNonce(1, 1));
        SyncSession b = session(2, 22);
        assertThat(b.receive(a.helloFrame())).isEqualTo(new SyncSession.Inbound.Dropped(FrameDrop.BAD_MAC, "HELLO"));
        assertThat(b.dropped(FrameDrop.BAD_MAC)).isEqualTo(1);
        assertThat(b.established()).isFalse();
    }

    @Test
    void tamperedDataFrameIsRejectedAsBadMac() {
        SyncSession[] s = pair();
        byte[] frame = s[0].encode(1, List.of(new SyncRecord.BulkStart(7)));
        frame[FrameCodec.HEADER_BYTES + 6] ^= 1;
        assertThat(s[1].receive(frame)).isInstanceOf(SyncSession.Inbound.Dropped.class)
                .extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.BAD_MAC);
        assertThat(s[1].dropped(FrameDrop.BAD_MAC)).isEqualTo(1);
    }

    @Test
    void replayWithinTheConnectionIsRejected() {
        SyncSession[] s = pair();
        byte[] one = s[0].encode(1, List.of(new SyncRecord.Ack(0)));
        assertThat(s[1].receive(one)).isInstanceOf(SyncSession.Inbound.Records.class);
        assertThat(s[1].receive(one)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.REPLAYED);
        byte[] two = s[0].encode(2, List.of(new SyncRecord.Ack(0)));
        byte[] three = s[0].encode(3, List.of(new SyncRecord.Ack(0)));
        assertThat(s[1].receive(three)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.SEQUENCE_GAP);
        assertThat(s[1].receive(two)).isInstanceOf(SyncSession.Inbound.Records.class);
        assertThat(s[1].dropped(FrameDrop.REPLAYED)).isEqualTo(1);
        assertThat(s[1].dropped(FrameDrop.SEQUENCE_GAP)).isEqualTo(1);
    }

    @Test
    void frameFromAnEarlierConnectionIsRejectedInANewOne() {
        SyncSession[] old = pair();
        byte[] recorded = old[0].encode(1, List.of(new SyncRecord.BulkRequest()));
        // Same nodes reconnect: node 2 picks a fresh nonce; an attacker replays node 1's old HELLO and frame.
        SyncSession fresh = session(2, 23);
        assertThat(fresh.receive(session(1, 11).helloFrame())).isInstanceOf(SyncSession.Inbound.Established.class);
        assertThat(fresh.receive(recorded)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.BAD_MAC);
    }

    @Test
    void reflectedFramesAndOwnHelloAreRejected() {
        SyncSession[] s = pair();
        byte[] mine = s[0].encode(1, List.of(new SyncRecord.BulkRequest()));
        assertThat(s[0].receive(mine)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.BAD_MAC);
        SyncSession lonely = session(1, 11);
        assertThat(lonely.receive(lonely.helloFrame())).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason())
                .isEqualTo(FrameDrop.SELF);
    }

    @Test
    void dataBeforeHelloAndSecondHelloAreRejected() {
        SyncSession[] s = pair();
        byte[] data = s[0].encode(1, List.of(new SyncRecord.Ack(0)));
        SyncSession stranger = session(3, 33);
        assertThat(stranger.receive(data)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason())
                .isEqualTo(FrameDrop.HELLO_EXPECTED);
        assertThat(s[1].receive(session(1, 12).helloFrame())).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason())
                .isEqualTo(FrameDrop.UNEXPECTED_HELLO);
    }

    @Test
    void garbageIsRejectedWithTheRightReason() {
        SyncSession b = session(2, 22);
        assertThat(b.receive(new byte[10])).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.TRUNCATED);
        assertThat(b.receive(new byte[64])).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.BAD_MAGIC);
        byte[] hello = session(1, 11).helloFrame();
        ByteBuffer.wrap(hello).putInt(FrameCodec.LENGTH_FIELD_OFFSET, hello.length + 1);
        assertThat(b.receive(hello)).extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.BAD_LENGTH);
        assertThat(b.dropped(FrameDrop.TRUNCATED) + b.dropped(FrameDrop.BAD_MAGIC) + b.dropped(FrameDrop.BAD_LENGTH)).isEqualTo(3);
    }

    @Test
    void versionNPlusOneNodeTalksVersionNWithAnOlderPeer() {
        SyncSession older = new SyncSession(KEY, 1, new ProtocolVersions(1, 1), new SessionNonce(1, 2));
        SyncSession newer = new SyncSession(KEY, 2, new ProtocolVersions(1, 2), new SessionNonce(3, 4));
        assertThat(older.receive(newer.helloFrame())).isEqualTo(new SyncSession.Inbound.Established(2, 1));
        assertThat(newer.receive(older.helloFrame())).isEqualTo(new SyncSession.Inbound.Established(1, 1));
        assertThat(older.receive(newer.encode(1, List.of(new SyncRecord.BulkRequest()))))
                .isEqualTo(new SyncSession.Inbound.Records(1, List.of(new SyncRecord.BulkRequest())));
        SyncSession onlyTwo = new SyncSession(KEY, 3, new ProtocolVersions(2, 2), new SessionNonce(5, 6));
        assertThat(session(4, 44).receive(onlyTwo.helloFrame()))
                .extracting(d -> ((SyncSession.Inbound.Dropped) d).reason()).isEqualTo(FrameDrop.NO_COMMON_VERSION);
    }

    /** A frame as a newer peer would write it: a record type we do not know, then one we do. */
    private static byte[] frameWithUnknownRecord() {
        ByteBuffer b = ByteBuffer.allocate(FrameCodec.HEADER_BYTES + 4 + 3 + 4 + 8 + FrameCodec.MAC_BYTES);
        b.putShort((short) FrameCodec.MAGIC).put((byte) 2).put((byte) 1).putInt(b.capacity()).putLong(1);
        b.putShort((short) 63).putShort((short) 3).put(new byte[3]); // CARP range, not assigned
        b.putShort((short) RecordType.ACK).putShort((short) 8).putLong(77);
        return b.array();
    }

    @Test
    void unknownAndReservedRecordTypesAreSkippedAndCounted() throws Exception {
        long[] skipped = new long[1];
        assertThat(FrameCodec.records(frameWithUnknownRecord(), skipped)).containsExactly(new SyncRecord.Ack(77));
        assertThat(skipped[0]).isEqualTo(1);
    }

    @Test
    void recordOverrunningTheFrameOrWithImpossibleContentIsMalformed() throws Exception {
        byte[] overrun = frameWithUnknownRecord();
        ByteBuffer.wrap(overrun).putShort(FrameCodec.HEADER_BYTES + 2, (short) 500);
        assertThatThrownBy(() -> FrameCodec.records(overrun, new long[1]))
                .isInstanceOfSatisfying(FrameCodec.FrameRejected.class, e -> assertThat(e.reason).isEqualTo(FrameDrop.MALFORMED_RECORD));

        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        byte[] frame = FrameCodec.encode(1, FrameCodec.KIND_DATA, 1, List.of(new SyncRecord.StateDelete(tcpState().key())), mac);
        frame[FrameCodec.HEADER_BYTES + FrameCodec.RECORD_HEADER_BYTES + 2] = 5; // address family 5
        assertThatThrownBy(() -> FrameCodec.records(frame, new long[1]))
                .isInstanceOfSatisfying(FrameCodec.FrameRejected.class, e -> {
                    assertThat(e.reason).isEqualTo(FrameDrop.MALFORMED_RECORD);
                    assertThat(e.getMessage()).contains("family 5");
                });
        byte[] truncated = FrameCodec.encode(1, FrameCodec.KIND_DATA, 1, List.of(new SyncRecord.BulkEnd(1, 2)), mac);
        ByteBuffer.wrap(truncated).putShort(FrameCodec.HEADER_BYTES + 2, (short) 9);
        assertThatThrownBy(() -> FrameCodec.records(truncated, new long[1]))
                .isInstanceOfSatisfying(FrameCodec.FrameRejected.class, e -> assertThat(e.getMessage()).contains("too short"));
    }

    @Test
    void shortKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new SyncSession(new byte[8], 1, ProtocolVersions.CURRENT, SessionNonce.random()))
                .hasMessageContaining("8 bytes").hasMessageContaining("16");
    }
}
