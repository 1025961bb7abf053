package io.carpd.pfsync.config;

import io.carpd.core.api.ConfigSyncControl.Counters;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What config sync has done since start: transfers counted by direction and result, and per
 * direction when a push was last tried and last succeeded. Written by the pushing and applying
 * threads, read without locks or peer round trips, so a metrics scrape can read it at any time.
 *
 * <p>The times count real pushes only: a dry run changes nothing and a rollback is local, so
 * neither says whether the peers' configurations agree. The counters count dry runs too (they
 * are what {@link Counters} has always reported).
 */
public final class ConfigSyncStats {

    /** Which side of a push this node was on. */
    public enum Direction {
        /** this node pushed to the peer */
        SENT,
        /** the peer pushed to this node */
        RECEIVED;

        /** The metric label value. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a transfer into this node ended. */
    enum Received {
        /** applied (or, for a dry run, compared) */
        OK,
        /** refused before any data arrived (version mismatch, unknown section, MASTER too, ...) */
        REFUSED,
        /** validation, apply or verification failed; the previous config stays */
        FAILED,
        /** dropped unfinished (idle, link lost, replaced, stopping) */
        ABANDONED
    }

    /**
     * @param lastAttempt when a push in this direction last ended, ok or not; null before the first
     * @param lastSuccess when a push in this direction last ended applied; null before the first
     */
    public record Times(Instant lastAttempt, Instant lastSuccess) {
        static final Times NEVER = new Times(null, null);
    }

    private final AtomicLong pushesOk = new AtomicLong();
    private final AtomicLong pushesFailed = new AtomicLong();
    private final AtomicLongArray receptions = new AtomicLongArray(Received.values().length);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicReferenceArray<Times> times = new AtomicReferenceArray<>(
            new Times[] {Times.NEVER, Times.NEVER});

    /** A push or dry run from this node ended; {@code ok} is the peer's verdict. */
    void sent(boolean dryRun, boolean ok, Instant at) {
        (ok ? pushesOk : pushesFailed).incrementAndGet();
        if (!dryRun) {
            record(Direction.SENT, ok, at);
        }
    }

    /** A transfer into this node ended as {@code how}. */
    void received(boolean dryRun, Received how, Instant at) {
        receptions.incrementAndGet(how.ordinal());
        if (!dryRun) {
            record(Direction.RECEIVED, how == Received.OK, at);
        }
    }

    /** A config-sync message did not decode. */
    void malformed() {
        malformed.incrementAndGet();
    }

    private void record(Direction d, boolean ok, Instant at) {
        times.updateAndGet(d.ordinal(), t -> new Times(at, ok ? at : t.lastSuccess()));
    }

    /** Last attempt and last success of real pushes in direction {@code d}. */
    public Times times(Direction d) {
        return times.get(d.ordinal());
    }

    /** Totals since start. */
    public Counters counters() {
        return new Counters(pushesOk.get(), pushesFailed.get(), receptions.get(Received.OK.ordinal()),
                receptions.get(Received.REFUSED.ordinal()), receptions.get(Received.FAILED.ordinal()),
                receptions.get(Received.ABANDONED.ordinal()), malformed.get());
    }
}
