package io.carpd.core.wire;

/**
 * The 16-bit one's-complement Internet checksum (RFC 1071). CARP uses it over exactly the 36 CARP
 * bytes with no pseudo-header; IPv4 over its header.
 */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /**
     * Checksum of {@code b[off..off+len)}, up to 65535 bytes. To fill a checksum field, compute with
     * the field zeroed; to verify, compute over the region including the field: a valid one gives 0.
     */
    public static int of(byte[] b, int off, int len) {
        int sum = 0;
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
