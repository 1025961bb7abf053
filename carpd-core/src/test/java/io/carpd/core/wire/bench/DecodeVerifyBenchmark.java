package io.carpd.core.wire.bench;

import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.AdvertDecoder;
import io.carpd.core.wire.AdvertEncoder;
import io.carpd.core.wire.CarpAuth;
import io.carpd.core.wire.DropReason;
import io.carpd.core.wire.Family;
import io.carpd.core.wire.ReceivedAdvert;
import io.carpd.core.wire.VhidTable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The receive hot path: decode one advert frame from a reused buffer and verify its HMAC, as the
 * capture thread does per packet. Run with {@code bin/bench-wire} ({@code -prof gc} shows B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeVerifyBenchmark {

    /** INET: one IPv4 VIP (ucarp-shaped); INET6: two IPv6 VIPs plus a link-local, as a dual-context check. */
    @Param({"INET", "INET6"})
    public Family family;

    private final AdvertDecoder decoder = new AdvertDecoder();
    private final ReceivedAdvert out = new ReceivedAdvert();
    private final byte[] frame = new byte[AdvertEncoder.FRAME_LENGTH_INET6];
    private int length;
    private VhidTable table;

    @Setup
    public void setUp() throws Exception {
        byte[] password = "MyCarpPassword2026".getBytes(StandardCharsets.US_ASCII);
        List<InetAddress> addresses = family == Family.INET
                ? List.of(InetAddress.getByName("192.0.2.254"))
                : List.of(InetAddress.getByName("2001:db8::1"), InetAddress.getByName("2001:db8::2"), InetAddress.getByName("fe80::1"));
        CarpAuth auth = CarpAuth.of(password, 42, addresses);
        InetAddress source = family == Family.INET ? InetAddress.getByName("192.0.2.1") : InetAddress.getByName("fe80::2");
        length = new AdvertEncoder().encode(frame, new Advertisement(42, 1, 100, 0, 0x89641b169d1993cbL), auth, family,
                new byte[] {0, 0, 0x5e, 0, 1, 42}, AdvertEncoder.multicastMac(family), source, AdvertEncoder.group(family));
        table = new VhidTable() {
            @Override
            public CarpAuth auth(int vhid) {
                return vhid == 42 ? auth : null;
            }

            @Override
            public boolean isOwnCounter(int vhid, long counter) {
                return false;
            }
        };
        DropReason check = decoder.decode(frame, length, table, out);
        if (check != null) throw new IllegalStateException("benchmark frame does not validate: " + check);
    }

    @Benchmark
    public long decodeAndVerify() {
        DropReason reason = decoder.decode(frame, length, table, out);
        return reason == null ? out.counter() : -reason.ordinal();
    }
}
