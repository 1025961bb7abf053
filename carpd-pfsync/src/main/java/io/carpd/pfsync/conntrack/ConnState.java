package io.carpd.pfsync.conntrack;

import io.carpd.core.wire.Family;

/**
 * Everything carpd syncs about one connection. NAT is not a separate field: conntrack records the
 * binding in the reply tuple, and {@link #isNatted()} tells when it differs from the plain reverse.
 * {@code timeoutSeconds} is the remaining lifetime ({@link #NO_TIMEOUT} when the message carried
 * none, as destroy events do); {@code tcp} is null for non-TCP connections and for update events
 * in which the kernel left protocol info out because it did not change.
 */
public record ConnState(int zone, Family family, Tuple original, Tuple reply,
                        int status, int timeoutSeconds, int mark, TcpInfo tcp) {
    public static final int NO_TIMEOUT = -1;
    public static final int STATUS_SEEN_REPLY = 0x2;
    public static final int STATUS_ASSURED = 0x4;
    public static final int STATUS_FIXED_TIMEOUT = 0x400;

    public ConnState {
        if (original.family() != family || reply.family() != family) {
            throw new IllegalArgumentException("tuples " + original + " / " + reply + " are not " + family);
        }
        if (original.protocol() != reply.protocol()) {
            throw new IllegalArgumentException("original and reply protocols differ: " + original + " / " + reply);
        }
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("zone " + zone + " out of range 0..65535");
        }
        if (timeoutSeconds < NO_TIMEOUT) {
            throw new IllegalArgumentException("timeout " + timeoutSeconds + " is negative");
        }
    }

    public ConnKey key() {
        return new ConnKey(zone, family, original);
    }

    public int protocol() {
        return original.protocol();
    }

    public boolean isNatted() {
        return !original.isPlainReverseOf(reply);
    }

    /**
     * This state updated by a newer partial message: what the newer one lacks (TCP info, timeout)
     * is kept from this one. Ctnetlink update events carry protocol info only when it changed.
     */
    public ConnState mergedWith(ConnState newer) {
        return new ConnState(newer.zone, newer.family, newer.original, newer.reply, newer.status,
                newer.timeoutSeconds == NO_TIMEOUT ? timeoutSeconds : newer.timeoutSeconds,
                newer.mark, newer.tcp == null ? tcp : newer.tcp);
    }

    public ConnState withTimeout(int seconds) {
        return new ConnState(zone, family, original, reply, status, seconds, mark, tcp);
    }
}
