package io.carpd.pfsync.conntrack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared instances of the values that repeat across connections: addresses (every flow to a
 * server, every SNAT'd flow through a VIP) and TCP protocol info (a handful of state, scale and
 * flag combinations). An {@link InetAddress} costs 56 bytes and a connection holds four, so
 * without sharing they would be the larger part of a 100 000-state table. Bounded: when full it
 * starts over (an address scan may make every address unique; sharing then just stops paying).
 * Safe for the event reader and the sync loop at once.
 */
public final class Interned {
    static final int MAX_ENTRIES = 1 << 16;
    private static final ConcurrentHashMap<ByteBuffer, InetAddress> ADDRESSES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<TcpInfo, TcpInfo> TCP = new ConcurrentHashMap<>();

    private Interned() {
    }

    /** The shared address for these 4 or 16 network-order bytes ({@code raw} is not kept). */
    public static InetAddress address(byte[] raw) throws UnknownHostException {
        InetAddress a = ADDRESSES.get(ByteBuffer.wrap(raw));
        if (a != null) {
            return a;
        }
        a = InetAddress.getByAddress(raw.clone());
        bound(ADDRESSES);
        InetAddress prior = ADDRESSES.putIfAbsent(ByteBuffer.wrap(a.getAddress()), a);
        return prior != null ? prior : a;
    }

    public static TcpInfo tcp(TcpInfo t) {
        TcpInfo shared = TCP.get(t);
        if (shared != null) {
            return shared;
        }
        bound(TCP);
        shared = TCP.putIfAbsent(t, t);
        return shared != null ? shared : t;
    }

    static int addressCount() {
        return ADDRESSES.size();
    }

    private static void bound(ConcurrentHashMap<?, ?> map) {
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
    }
}
