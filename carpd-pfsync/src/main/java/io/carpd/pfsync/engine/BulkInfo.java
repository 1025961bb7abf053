package io.carpd.pfsync.engine;

/**
 * One finished table transfer, for status output.
 *
 * @param endedAtNanos   monotonic time the transfer ended
 * @param durationNanos  from BULK_START to BULK_END
 * @param states         states it carried
 */
public record BulkInfo(long endedAtNanos, long durationNanos, long states) {}
