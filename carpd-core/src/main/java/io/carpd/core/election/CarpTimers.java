package io.carpd.core.election;

/**
 * The timer formulas of spec §3.2 in CARP's native unit, the tick of 1/256 s, converted to nanoseconds.
 * Keeping the arithmetic in ticks makes the comparisons of §3.3 exact (no rounding of 1/256 s).
 */
public final class CarpTimers {

    /** Nanoseconds per 1/256 s: exactly 3 906 250. */
    public static final long TICK_NANOS = 1_000_000_000L / 256;

    /** The floor of the master-down interval (3/256 s) on every implementation. */
    static final int MIN_MASTER_DOWN_TICKS = 3;

    private CarpTimers() {}

    /** A node's advert interval advbase + advskew/256, in ticks; 1/256 s when both are 0. */
    public static int advertIntervalTicks(int advbase, int advskew) {
        return Math.max(1, advbase * 256 + advskew);
    }

    /**
     * How long a BACKUP waits without adverts, in ticks, from the configured (not demoted) skew.
     * CLASSIC with advbase 0 multiplies the skew instead, as OpenBSD rev 1.270 does (spec §3.2):
     * otherwise master-down would equal the advert interval and any jitter would make the backup
     * take over between two adverts.
     */
    public static int masterDownTicks(VirtualHostConfig cfg) {
        int ticks = switch (cfg.masterDown()) {
            case CLASSIC -> cfg.advbase() == 0
                    ? cfg.deadRatio() * cfg.advskew()
                    : cfg.deadRatio() * cfg.advbase() * 256 + cfg.advskew();
            case OPENBSD_CURRENT -> cfg.deadRatio() * (cfg.advbase() * 256 + cfg.advskew());
        };
        return Math.max(MIN_MASTER_DOWN_TICKS, ticks);
    }

    public static long toNanos(int ticks) {
        return ticks * TICK_NANOS;
    }

    /** Seconds with two decimals for transition reasons, e.g. "3.39". */
    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
