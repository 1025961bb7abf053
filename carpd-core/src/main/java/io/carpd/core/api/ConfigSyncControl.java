package io.carpd.core.api;

import java.time.Instant;
import java.util.List;

/**
 * Config sync as the control API sees it (implemented in carpd-pfsync). Methods block until the
 * peer has answered or the operation timed out; refusals that depend on this node's state (not
 * MASTER, link down) throw {@link ControlException} with kind CONFLICT.
 */
public interface ConfigSyncControl {

    /** Sends every synced section to the peer; with {@code dryRun} the peer only diffs and validates. */
    Outcome push(boolean dryRun, boolean force);

    /** Restores, on this node, the versions the most recent received sync replaced. */
    Outcome rollback();

    Status status();

    /** Called after each successful reload; pushes in the background when configured to. */
    void reloaded();

    /**
     * Result of a push, dry run or rollback.
     *
     * @param operation push, dry_run or rollback
     * @param node      the node that applied (the peer for push / dry run, this node for rollback)
     */
    record Outcome(boolean ok, String operation, String node, String message, List<Section> sections) {
        public Outcome {
            sections = List.copyOf(sections);
        }
    }

    /** One section of an outcome; see the config-sync protocol for the status words. */
    record Section(String name, String status, String before, String after, String diff, String detail) {}

    /**
     * @param peer       the peer's answer to a status query; null when the link is down or it did not answer
     * @param lastSent   the last push or dry run from this node, null if none
     * @param lastReceived the last sync this node received (or rollback it ran), null if none
     * @param receiving  a transfer under way into this node, or null
     * @param sections   per section: synced or local-only, hash here and on the peer
     * @param counters   totals since start
     */
    record Status(String node, String carpdVersion, int schemaVersion, boolean linkUp, Peer peer, Last lastSent,
                  Last lastReceived, Transfer receiving, List<SectionHashes> sections, int keptVersions,
                  Counters counters) {
        public Status {
            sections = List.copyOf(sections);
        }
    }

    record Peer(String node, String carpdVersion, int schemaVersion, String lastReceived) {}

    record Last(Instant at, String operation, String peer, boolean ok, String message) {}

    record Transfer(String from, long bytesReceived, long bytesExpected) {}

    record SectionHashes(String name, boolean synced, String local, String peer) {}

    /**
     * @param pushesOk          pushes and dry runs the peer reported as successful
     * @param pushesFailed      pushes and dry runs refused or failed (the peer's answer, or no answer)
     * @param receivedOk        syncs received and applied (or dry runs compared) here
     * @param receivedRefused   offers refused here (version mismatch, unknown or no-sync section, ...)
     * @param receivedFailed    received syncs that failed validation, apply, or verification here
     * @param abandoned         incoming transfers dropped unfinished (idle, link lost, replaced)
     * @param malformedMessages config-sync messages that did not decode (the connection is closed)
     */
    record Counters(long pushesOk, long pushesFailed, long receivedOk, long receivedRefused, long receivedFailed,
                    long abandoned, long malformedMessages) {}
}
