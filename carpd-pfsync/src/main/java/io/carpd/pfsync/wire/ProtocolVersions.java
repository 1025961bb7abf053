package io.carpd.pfsync.wire;

/**
 * The range of protocol versions a node speaks. Two nodes use the highest version both speak; a
 * release that introduces version N+1 keeps speaking N, so a pair can be upgraded one node at a time.
 */
public record ProtocolVersions(int min, int max) {
    /** What this build speaks. */
    public static final ProtocolVersions CURRENT = new ProtocolVersions(1, 1);

    public ProtocolVersions {
        if (min < 1 || max > 255 || min > max) {
            throw new IllegalArgumentException("protocol versions " + min + ".." + max + " must satisfy 1 <= min <= max <= 255");
        }
    }

    /** The version both ranges share and prefer (the highest), or 0 when they do not overlap. */
    public int negotiate(int peerMin, int peerMax) {
        int v = Math.min(max, peerMax);
        return v >= Math.max(min, peerMin) ? v : 0;
    }
}
