package io.carpd.core.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Mutable holder the decoder fills, so the receive path allocates nothing per packet. After a
 * successful decode every field is set. After a drop, the fields parsed before the failing check are
 * set (e.g. the source of a BAD_HMAC packet, for the log) and the rest are cleared: {@link #family()}
 * and {@link #sourceAddress()} are null before the IP header was read; {@link #vhid()} and the other
 * CARP fields are 0 until the CARP checksum passed. Not thread-safe; reuse one per decoder.
 */
public final class ReceivedAdvert {

    private Family family;
    private final byte[] source = new byte[16];
    private InetAddress sourceAddress;
    private boolean destinationIsMulticast;
    private int vhid;
    private int advbase;
    private int advskew;
    private int demote;
    private long counter;

    void clear() {
        family = null;
        sourceAddress = null;
        destinationIsMulticast = false;
        vhid = 0;
        advbase = 0;
        advskew = 0;
        demote = 0;
        counter = 0;
    }

    void setIp(Family family, byte[] frame, int sourceOffset, boolean destinationIsMulticast) {
        this.family = family;
        System.arraycopy(frame, sourceOffset, source, 0, family == Family.INET ? 4 : 16);
        this.destinationIsMulticast = destinationIsMulticast;
    }

    void setCarp(int vhid, int advskew, int demote, int advbase, long counter) {
        this.vhid = vhid;
        this.advskew = advskew;
        this.demote = demote;
        this.advbase = advbase;
        this.counter = counter;
    }

    public Family family() {
        return family;
    }

    public int vhid() {
        return vhid;
    }

    public int advbase() {
        return advbase;
    }

    public int advskew() {
        return advskew;
    }

    public int demote() {
        return demote;
    }

    public long counter() {
        return counter;
    }

    /** The IP source; built on first call (allocates), null if the IP header was not reached. */
    public InetAddress sourceAddress() {
        if (sourceAddress == null && family != null) {
            try {
                sourceAddress = InetAddress.getByAddress(Arrays.copyOf(source, family == Family.INET ? 4 : 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes expected", e);
            }
        }
        return sourceAddress;
    }

    /** Whether the IP destination is a multicast address (normally the CARP group) rather than a unicast peer. */
    public boolean destinationIsMulticast() {
        return destinationIsMulticast;
    }

    /** The header fields as the election's value type; only valid after a successful decode. */
    public Advertisement toAdvertisement() {
        return new Advertisement(vhid, advbase, advskew, demote, counter);
    }

    @Override
    public String toString() {
        return "ReceivedAdvert[" + family + " from " + sourceAddress() + (destinationIsMulticast ? " (multicast)" : " (unicast)")
                + ", vhid=" + vhid + ", advbase=" + advbase + ", advskew=" + advskew + ", demote=" + demote
                + ", counter=" + Long.toHexString(counter) + "]";
    }
}
