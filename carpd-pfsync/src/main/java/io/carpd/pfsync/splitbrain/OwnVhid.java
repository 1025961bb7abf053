package io.carpd.pfsync.splitbrain;

import io.carpd.core.election.CarpState;

/**
 * One of our VHIDs as the detector needs it.
 *
 * @param advertIntervalNanos advbase + advskew/256 seconds of this VHID, in nanoseconds
 */
public record OwnVhid(String iface, int vhid, CarpState state, long advertIntervalNanos) {

    /** The advert interval of a VHID with {@code advbase} seconds and {@code advskew}. */
    public static long advertInterval(int advbase, int advskew) {
        return advbase * 1_000_000_000L + advskew * 1_000_000_000L / 256;
    }
}
