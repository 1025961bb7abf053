package io.carpd.core.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The HMAC-SHA1 key and message prefix of one virtual host (spec carp.md §2): key = the password's
 * first 19 bytes zero-padded to 20, message = 0x02 0x01 vhid, IPv4 addresses ascending, IPv6
 * addresses bytewise ascending, then the packet's 8 counter bytes.
 *
 * <p>The SHA-1 states after {@code key⊕ipad ‖ prefix} and after {@code key⊕opad} are computed once
 * here, so a packet only costs hashing its counter and the outer digest. Following OpenBSD, adverts
 * are signed without IPv6 link-local addresses and accepted with or without them. Immutable and
 * safe to share between threads; the per-packet scratch state belongs to the encoder/decoder.
 */
public final class CarpAuth {

    /** ifconfig copies the password NUL-terminated into a 20-byte key, so 19 bytes count. */
    public static final int SIGNIFICANT_PASSWORD_BYTES = 19;
    private static final int KEY_LENGTH = 20;
    private static final int HMAC_BLOCK = 64;
    private static final byte CARP_VERSION = 2;
    private static final byte CARP_TYPE_ADVERTISEMENT = 1;
    static final int COUNTER_OFFSET = 8;
    static final int HMAC_OFFSET = 16;

    private final int vhid;
    private final boolean passwordTruncated;
    private final List<InetAddress> addresses;
    private final Sha1 innerSend;
    /** null when the address set has no IPv6 link-local address: both contexts would be equal. */
    private final Sha1 innerWithLinkLocal;
    private final Sha1 outer;

    private CarpAuth(int vhid, boolean passwordTruncated, List<InetAddress> addresses,
                     Sha1 innerSend, Sha1 innerWithLinkLocal, Sha1 outer) {
        this.vhid = vhid;
        this.passwordTruncated = passwordTruncated;
        this.addresses = addresses;
        this.innerSend = innerSend;
        this.innerWithLinkLocal = innerWithLinkLocal;
        this.outer = outer;
    }

    /**
     * @param password  the shared password (empty = BSD's unset key of 20 zero bytes); only its first 19 bytes count
     * @param vhid      1..255
     * @param addresses the virtual host's addresses (any order, duplicates allowed, IPv4 and/or IPv6)
     */
    public static CarpAuth of(byte[] password, int vhid, Collection<? extends InetAddress> addresses) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(addresses, "addresses");
        if (vhid < 1 || vhid > 255) throw new IllegalArgumentException("vhid out of range 1..255: " + vhid);

        byte[] key = Arrays.copyOf(password, KEY_LENGTH);
        boolean truncated = password.length > SIGNIFICANT_PASSWORD_BYTES;
        key[KEY_LENGTH - 1] = 0;

        List<byte[]> v4 = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        for (InetAddress a : addresses) {
            Objects.requireNonNull(a, "addresses contains null");
            (a instanceof Inet4Address ? v4 : v6).add(a.getAddress());
        }
        // Big-endian unsigned bytewise order equals ascending numeric order for IPv4 too.
        Comparator<byte[]> order = Arrays::compareUnsigned;
        v4 = sortedDistinct(v4, order);
        v6 = sortedDistinct(v6, order);

        Sha1 inner = new Sha1().update(pad(key, (byte) 0x36), 0, HMAC_BLOCK)
                .update(CARP_VERSION).update(CARP_TYPE_ADVERTISEMENT).update((byte) vhid);
        for (byte[] a : v4) inner.update(a, 0, a.length);
        Sha1 innerSend = new Sha1();
        innerSend.copyFrom(inner);
        boolean anyLinkLocal = false;
        for (byte[] a : v6) {
            inner.update(a, 0, a.length);
            if (isLinkLocal(a)) {
                anyLinkLocal = true;
            } else {
                innerSend.update(a, 0, a.length);
            }
        }
        Sha1 outer = new Sha1().update(pad(key, (byte) 0x5c), 0, HMAC_BLOCK);
        Arrays.fill(key, (byte) 0);

        List<InetAddress> hashed = new ArrayList<>();
        for (byte[] a : v4) hashed.add(toAddress(a));
        for (byte[] a : v6) hashed.add(toAddress(a));
        return new CarpAuth(vhid, truncated, List.copyOf(hashed), innerSend, anyLinkLocal ? inner : null, outer);
    }

    public int vhid() {
        return vhid;
    }

    /** True when the password had more than 19 bytes and was cut, as BSD ifconfig silently does. */
    public boolean passwordTruncated() {
        return passwordTruncated;
    }

    /** The authenticated addresses in message order (IPv4 ascending, then IPv6 incl. link-local), without duplicates. */
    public List<InetAddress> addresses() {
        return addresses;
    }

    /** Writes the HMAC for the counter at {@code carp+8} to {@code carp+16..+36}, with the send (no link-local) context. */
    void sign(Sha1 work, byte[] packet, int carp) {
        digest(innerSend, work, packet, carp, packet, carp + HMAC_OFFSET);
    }

    /**
     * Whether the HMAC at {@code carp+16} matches either context. {@code scratch} is 20 bytes.
     * The comparison takes the same time wherever the bytes differ.
     */
    boolean verify(Sha1 work, byte[] scratch, byte[] packet, int carp) {
        digest(innerSend, work, packet, carp, scratch, 0);
        if (equalsConstantTime(scratch, packet, carp + HMAC_OFFSET)) return true;
        if (innerWithLinkLocal == null) return false;
        digest(innerWithLinkLocal, work, packet, carp, scratch, 0);
        return equalsConstantTime(scratch, packet, carp + HMAC_OFFSET);
    }

    private void digest(Sha1 inner, Sha1 work, byte[] packet, int carp, byte[] out, int outOff) {
        work.copyFrom(inner);
        work.update(packet, carp + COUNTER_OFFSET, 8);
        work.finish(out, outOff);
        // The inner digest lands where the final one goes; the outer update reads it before finish overwrites it.
        work.copyFrom(outer);
        work.update(out, outOff, Sha1.DIGEST_LENGTH);
        work.finish(out, outOff);
    }

    private static boolean equalsConstantTime(byte[] expected, byte[] packet, int off) {
        int diff = 0;
        for (int i = 0; i < Sha1.DIGEST_LENGTH; i++) diff |= expected[i] ^ packet[off + i];
        return diff == 0;
    }

    private static byte[] pad(byte[] key, byte pad) {
        byte[] block = new byte[HMAC_BLOCK];
        Arrays.fill(block, pad);
        for (int i = 0; i < key.length; i++) block[i] ^= key[i];
        return block;
    }

    private static List<byte[]> sortedDistinct(List<byte[]> in, Comparator<byte[]> order) {
        in.sort(order);
        List<byte[]> out = new ArrayList<>(in.size());
        for (byte[] a : in) {
            if (out.isEmpty() || order.compare(out.getLast(), a) != 0) out.add(a);
        }
        return out;
    }

    private static boolean isLinkLocal(byte[] v6) {
        return (v6[0] & 0xff) == 0xfe && (v6[1] & 0xc0) == 0x80;
    }

    private static InetAddress toAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes expected", e);
        }
    }

    @Override
    public String toString() {
        return "CarpAuth[vhid=" + vhid + ", addresses=" + addresses + (passwordTruncated ? ", password truncated" : "") + "]";
    }
}
