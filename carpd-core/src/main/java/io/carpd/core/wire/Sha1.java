package io.carpd.core.wire;

/**
 * SHA-1 over reusable state. The HMAC of every received advert must be checked without allocating,
 * and {@code MessageDigest}/{@code Mac} allocate on finish; this class also lets a state be copied
 * ({@link #copyFrom}), so a prefix hashed once (key pad, vhid, addresses) is resumed per packet,
 * the way OpenBSD keeps precomputed HMAC contexts.
 */
final class Sha1 {

    static final int DIGEST_LENGTH = 20;
    private static final int BLOCK = 64;

    private int h0, h1, h2, h3, h4;
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;
    private long length;
    private final int[] w = new int[80];

    Sha1() {
        reset();
    }

    Sha1 reset() {
        h0 = 0x67452301;
        h1 = 0xEFCDAB89;
        h2 = 0x98BADCFE;
        h3 = 0x10325476;
        h4 = 0xC3D2E1F0;
        buffered = 0;
        length = 0;
        return this;
    }

    /** Continues from {@code other}'s state; {@code other} is only read. */
    void copyFrom(Sha1 other) {
        h0 = other.h0;
        h1 = other.h1;
        h2 = other.h2;
        h3 = other.h3;
        h4 = other.h4;
        System.arraycopy(other.buffer, 0, buffer, 0, other.buffered);
        buffered = other.buffered;
        length = other.length;
    }

    Sha1 update(byte b) {
        buffer[buffered++] = b;
        length++;
        if (buffered == BLOCK) {
            compress(buffer, 0);
            buffered = 0;
        }
        return this;
    }

    Sha1 update(byte[] in, int off, int len) {
        length += len;
        if (buffered > 0) {
            int n = Math.min(len, BLOCK - buffered);
            System.arraycopy(in, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            if (buffered < BLOCK) return this;
            compress(buffer, 0);
            buffered = 0;
        }
        while (len >= BLOCK) {
            compress(in, off);
            off += BLOCK;
            len -= BLOCK;
        }
        System.arraycopy(in, off, buffer, 0, len);
        buffered = len;
        return this;
    }

    /** Pads, writes the 20-byte digest to {@code out[off..]}; the state must be reset or copied before reuse. */
    void finish(byte[] out, int off) {
        long bits = length << 3;
        buffer[buffered++] = (byte) 0x80;
        if (buffered > BLOCK - 8) {
            while (buffered < BLOCK) buffer[buffered++] = 0;
            compress(buffer, 0);
            buffered = 0;
        }
        while (buffered < BLOCK - 8) buffer[buffered++] = 0;
        for (int i = 7; i >= 0; i--) buffer[buffered++] = (byte) (bits >>> (8 * i));
        compress(buffer, 0);
        buffered = 0;
        putInt(out, off, h0);
        putInt(out, off + 4, h1);
        putInt(out, off + 8, h2);
        putInt(out, off + 12, h3);
        putInt(out, off + 16, h4);
    }

    private void compress(byte[] b, int off) {
        int[] w = this.w;
        for (int i = 0; i < 16; i++, off += 4) {
            w[i] = (b[off] << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        }
        for (int i = 16; i < 80; i++) {
            w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        int a = h0, bb = h1, c = h2, d = h3, e = h4;
        for (int i = 0; i < 20; i++) {
            int t = Integer.rotateLeft(a, 5) + ((bb & c) | (~bb & d)) + e + 0x5A827999 + w[i];
            e = d; d = c; c = Integer.rotateLeft(bb, 30); bb = a; a = t;
        }
        for (int i = 20; i < 40; i++) {
            int t = Integer.rotateLeft(a, 5) + (bb ^ c ^ d) + e + 0x6ED9EBA1 + w[i];
            e = d; d = c; c = Integer.rotateLeft(bb, 30); bb = a; a = t;
        }
        for (int i = 40; i < 60; i++) {
            int t = Integer.rotateLeft(a, 5) + ((bb & c) | (bb & d) | (c & d)) + e + 0x8F1BBCDC + w[i];
            e = d; d = c; c = Integer.rotateLeft(bb, 30); bb = a; a = t;
        }
        for (int i = 60; i < 80; i++) {
            int t = Integer.rotateLeft(a, 5) + (bb ^ c ^ d) + e + 0xCA62C1D6 + w[i];
            e = d; d = c; c = Integer.rotateLeft(bb, 30); bb = a; a = t;
        }
        h0 += a;
        h1 += bb;
        h2 += c;
        h3 += d;
        h4 += e;
    }

    private static void putInt(byte[] out, int off, int v) {
        out[off] = (byte) (v >>> 24);
        out[off + 1] = (byte) (v >>> 16);
        out[off + 2] = (byte) (v >>> 8);
        out[off + 3] = (byte) v;
    }
}
