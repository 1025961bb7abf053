package io.carpd.pfsync.wire;

import io.carpd.core.election.CarpState;
import io.carpd.core.wire.Family;
import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.Interned;
import io.carpd.pfsync.conntrack.TcpInfo;
import io.carpd.pfsync.conntrack.Tuple;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload layouts of the records, big-endian. Each layout may grow at its end in a later version:
 * decoders read the fields they know and ignore trailing bytes, encoders of this version write
 * exactly these. Record header (type u16, length u16) is written by {@link FrameCodec}.
 *
 * <pre>
 * HELLO      u8 minVersion, u8 maxVersion, u16 0, u32 nodeId, u64 nonceHigh, u64 nonceLow
 * KEEPALIVE  u64 timestamp, u64 echo, u64 echoDelayNanos
 * ACK        u64 seq
 * STATE_UPSERT  key, u32 status, u32 timeout (0xffffffff none), u32 mark, u8 flags (1 = TCP info),
 *               reply tuple addresses and l4 words, [TCP: u8 state, wscale orig, wscale reply,
 *               flags orig, flags reply]
 * STATE_DELETE, UPDATE_REQUEST  key
 * key        u16 zone, u8 family (4|6), u8 protocol, src, dst (4|16 bytes each), u16 l4a, u16 l4b
 *            (ports: source, destination; ICMP: type &lt;&lt; 8 | code, id)
 * BULK_REQUEST  empty;  BULK_START u64 id;  BULK_END u64 id, u64 states
 * VHID_STATES   u16 count, count x (u8 iface length, iface UTF-8, u8 vhid, u8 state: 0 INIT, 1 BACKUP, 2 MASTER)
 * CONFIG_SYNC   u8 flags (1 = last fragment of a message), message bytes
 * </pre>
 */
public final class RecordCodec {
    private static final int FLAG_TCP = 1;
    private static final int FLAG_LAST = 1;

    private RecordCodec() {
    }

    public static int type(SyncRecord r) {
        return switch (r) {
            case SyncRecord.Hello h -> RecordType.HELLO;
            case SyncRecord.Keepalive k -> RecordType.KEEPALIVE;
            case SyncRecord.Ack a -> RecordType.ACK;
            case SyncRecord.StateUpsert u -> RecordType.STATE_UPSERT;
            case SyncRecord.StateDelete d -> RecordType.STATE_DELETE;
            case SyncRecord.UpdateRequest q -> RecordType.UPDATE_REQUEST;
            case SyncRecord.BulkRequest b -> RecordType.BULK_REQUEST;
            case SyncRecord.BulkStart b -> RecordType.BULK_START;
            case SyncRecord.BulkEnd b -> RecordType.BULK_END;
            case SyncRecord.VhidStates v -> RecordType.VHID_STATES;
            case SyncRecord.ConfigFragment c -> RecordType.CONFIG_SYNC;
        };
    }

    /** Payload bytes of {@code r} (without the 4-byte record header). */
    public static int payloadSize(SyncRecord r) {
        return switch (r) {
            case SyncRecord.Hello h -> 24;
            case SyncRecord.Keepalive k -> 24;
            case SyncRecord.Ack a -> 8;
            case SyncRecord.StateUpsert u -> keySize(u.state().key()) + 13 + 2 * addressSize(u.state().family()) + 4
                    + (u.state().tcp() != null ? 5 : 0);
            case SyncRecord.StateDelete d -> keySize(d.key());
            case SyncRecord.UpdateRequest q -> keySize(q.key());
            case SyncRecord.BulkRequest b -> 0;
            case SyncRecord.BulkStart b -> 8;
            case SyncRecord.BulkEnd b -> 16;
            case SyncRecord.VhidStates v -> 2 + v.states().stream()
                    .mapToInt(x -> 3 + x.iface().getBytes(StandardCharsets.UTF_8).length).sum();
            case SyncRecord.ConfigFragment c -> 1 + c.data().length;
        };
    }

    private static int addressSize(Family f) {
        return f == Family.INET6 ? 16 : 4;
    }

    private static int keySize(ConnKey k) {
        return 4 + 2 * addressSize(k.family()) + 4;
    }

    public static void encode(SyncRecord r, ByteBuffer out) {
        switch (r) {
            case SyncRecord.Hello h -> out.put((byte) h.minVersion()).put((byte) h.maxVersion()).putShort((short) 0)
                    .putInt(h.nodeId()).putLong(h.nonce().high()).putLong(h.nonce().low());
            case SyncRecord.Keepalive k -> out.putLong(k.timestamp()).putLong(k.echo()).putLong(k.echoDelayNanos());
            case SyncRecord.Ack a -> out.putLong(a.seq());
            case SyncRecord.StateUpsert u -> encodeState(u.state(), out);
            case SyncRecord.StateDelete d -> encodeKey(d.key(), out);
            case SyncRecord.UpdateRequest q -> encodeKey(q.key(), out);
            case SyncRecord.BulkRequest b -> { }
            case SyncRecord.BulkStart b -> out.putLong(b.bulkId());
            case SyncRecord.BulkEnd b -> out.putLong(b.bulkId()).putLong(b.states());
            case SyncRecord.VhidStates v -> {
                out.putShort((short) v.states().size());
                for (VhidState x : v.states()) {
                    byte[] name = x.iface().getBytes(StandardCharsets.UTF_8);
                    out.put((byte) name.length).put(name).put((byte) x.vhid()).put((byte) stateCode(x.state()));
                }
            }
            case SyncRecord.ConfigFragment c -> out.put((byte) (c.last() ? FLAG_LAST : 0)).put(c.data());
        }
    }

    /** Wire codes are fixed here rather than taken from the enum order, which may grow. */
    private static int stateCode(CarpState s) {
        return switch (s) {
            case INIT -> 0;
            case BACKUP -> 1;
            case MASTER -> 2;
        };
    }

    private static CarpState state(int code) {
        return switch (code) {
            case 0 -> CarpState.INIT;
            case 1 -> CarpState.BACKUP;
            case 2 -> CarpState.MASTER;
            default -> throw new IllegalArgumentException("CARP state code " + code + " is not 0, 1 or 2");
        };
    }

    private static SyncRecord.VhidStates decodeVhidStates(ByteBuffer in) {
        int count = Short.toUnsignedInt(in.getShort());
        List<VhidState> states = new ArrayList<>(Math.min(count, SyncRecord.VhidStates.MAX_STATES));
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[Byte.toUnsignedInt(in.get())];
            in.get(name);
            states.add(new VhidState(new String(name, StandardCharsets.UTF_8), Byte.toUnsignedInt(in.get()),
                    state(Byte.toUnsignedInt(in.get()))));
        }
        return new SyncRecord.VhidStates(states);
    }

    private static void encodeKey(ConnKey k, ByteBuffer out) {
        out.putShort((short) k.zone()).put((byte) (k.family() == Family.INET6 ? 6 : 4))
                .put((byte) k.original().protocol());
        encodeTuple(k.original(), out);
    }

    private static void encodeTuple(Tuple t, ByteBuffer out) {
        out.put(t.src().getAddress()).put(t.dst().getAddress());
        if (Tuple.isIcmp(t.protocol())) {
            out.putShort((short) (t.icmpType() << 8 | t.icmpCode())).putShort((short) t.icmpId());
        } else {
            out.putShort((short) t.srcPort()).putShort((short) t.dstPort());
        }
    }

    private static void encodeState(ConnState s, ByteBuffer out) {
        encodeKey(s.key(), out);
        out.putInt(s.status()).putInt(s.timeoutSeconds()).putInt(s.mark()).put((byte) (s.tcp() != null ? FLAG_TCP : 0));
        encodeTuple(s.reply(), out);
        if (s.tcp() != null) {
            TcpInfo t = s.tcp();
            out.put((byte) t.state()).put((byte) t.wscaleOriginal()).put((byte) t.wscaleReply())
                    .put((byte) t.flagsOriginal()).put((byte) t.flagsReply());
        }
    }

    /**
     * Decodes the payload in {@code in} (position to limit) of a record of known {@code type}.
     * Returns null for a type this version does not implement (the caller skips and counts it).
     *
     * @throws MalformedRecordException when the payload is too short or holds impossible values
     */
    public static SyncRecord decode(int type, ByteBuffer in) {
        try {
            return switch (type) {
                case RecordType.HELLO -> {
                    int min = Byte.toUnsignedInt(in.get());
                    int max = Byte.toUnsignedInt(in.get());
                    in.getShort();
                    yield new SyncRecord.Hello(min, max, in.getInt(), new SessionNonce(in.getLong(), in.getLong()));
                }
                case RecordType.KEEPALIVE -> new SyncRecord.Keepalive(in.getLong(), in.getLong(), in.getLong());
                case RecordType.ACK -> new SyncRecord.Ack(in.getLong());
                case RecordType.STATE_UPSERT -> new SyncRecord.StateUpsert(decodeState(in));
                case RecordType.STATE_DELETE -> new SyncRecord.StateDelete(decodeKey(in));
                case RecordType.UPDATE_REQUEST -> new SyncRecord.UpdateRequest(decodeKey(in));
                case RecordType.BULK_REQUEST -> new SyncRecord.BulkRequest();
                case RecordType.BULK_START -> new SyncRecord.BulkStart(in.getLong());
                case RecordType.BULK_END -> new SyncRecord.BulkEnd(in.getLong(), in.getLong());
                case RecordType.VHID_STATES -> decodeVhidStates(in);
                case RecordType.CONFIG_SYNC -> {
                    boolean last = (Byte.toUnsignedInt(in.get()) & FLAG_LAST) != 0;
                    byte[] data = new byte[in.remaining()];
                    in.get(data);
                    yield new SyncRecord.ConfigFragment(last, data);
                }
                default -> null;
            };
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("record type " + type + " payload of " + in.limit() + " bytes is too short");
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("record type " + type + ": " + e.getMessage());
        }
    }

    private record KeyHead(int zone, Family family, int protocol) {}

    private static KeyHead keyHead(ByteBuffer in) {
        int zone = Short.toUnsignedInt(in.getShort());
        int fam = Byte.toUnsignedInt(in.get());
        Family family = switch (fam) {
            case 4 -> Family.INET;
            case 6 -> Family.INET6;
            default -> throw new IllegalArgumentException("address family " + fam + " is neither 4 nor 6");
        };
        return new KeyHead(zone, family, Byte.toUnsignedInt(in.get()));
    }

    private static ConnKey decodeKey(ByteBuffer in) {
        KeyHead h = keyHead(in);
        return new ConnKey(h.zone, h.family, decodeTuple(in, h.family, h.protocol));
    }

    private static Tuple decodeTuple(ByteBuffer in, Family family, int protocol) {
        InetAddress src = address(in, family);
        InetAddress dst = address(in, family);
        int a = Short.toUnsignedInt(in.getShort());
        int b = Short.toUnsignedInt(in.getShort());
        if (Tuple.isIcmp(protocol)) {
            return Tuple.icmp(src, dst, protocol, a >>> 8, a & 0xff, b);
        }
        if (!Tuple.hasPorts(protocol) && (a | b) != 0) {
            throw new IllegalArgumentException("protocol " + protocol + " has no ports but record carries " + a + "/" + b);
        }
        return Tuple.ports(src, dst, protocol, a, b);
    }

    private static InetAddress address(ByteBuffer in, Family family) {
        byte[] raw = new byte[addressSize(family)];
        in.get(raw);
        try {
            return Interned.address(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: " + e.getMessage());
        }
    }

    private static ConnState decodeState(ByteBuffer in) {
        KeyHead h = keyHead(in);
        Tuple orig = decodeTuple(in, h.family, h.protocol);
        int status = in.getInt();
        int timeout = in.getInt();
        int mark = in.getInt();
        int flags = Byte.toUnsignedInt(in.get());
        Tuple reply = decodeTuple(in, h.family, h.protocol);
        TcpInfo tcp = null;
        if ((flags & FLAG_TCP) != 0) {
            tcp = Interned.tcp(new TcpInfo(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                    Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get())));
        }
        return new ConnState(h.zone, h.family, orig, reply, status, timeout, mark, tcp);
    }
}
