package io.carpd.cli.lab;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one sync-bench step measured.
 *
 * @param offeredRate  flows per second asked of the generator
 * @param spanSeconds  first to last datagram of the step
 * @param sent         flows sent
 * @param seenMaster   flows whose NEW event fw1 reported
 * @param arrived      of those, flows that appeared in fw2's kernel
 * @param unmatched    flows in fw2's kernel whose fw1 event the bench missed (only after a bench overrun)
 * @param lastArrivalAfterStepNanos  last arrival in fw2, counted from the generator's last datagram
 * @param lagsNanos    sorted lags (fw2 NEW − fw1 NEW) of the arrived flows
 * @param benchOverruns events the bench's own listeners lost during the step
 * @param flushSeconds  how long the deletes took to drain from fw1 to fw2 after the step
 * @param leftInBackup  bench entries still in fw2 after the drain, deleted directly
 * @param masterCpuSeconds CPU time of fw1's daemon from the step's start to the end of its flush
 * @param backupCpuSeconds the same for fw2's daemon
 * @param masterOverruns   event overruns fw1's daemon reported during the step and its flush
 * @param backupOverruns   the same for fw2's daemon
 */
record SyncStep(int offeredRate, double spanSeconds, int sent, int seenMaster, int arrived, int unmatched,
                long lastArrivalAfterStepNanos, long[] lagsNanos, long benchOverruns, double flushSeconds,
                int leftInBackup, double masterCpuSeconds, double backupCpuSeconds,
                long masterOverruns, long backupOverruns) {

    double sentRate() {
        return sent / spanSeconds;
    }

    /** The MASTER's NEW-event rate: the flow rate the sync daemon had to follow. */
    double masterRate() {
        return seenMaster / spanSeconds;
    }

    /** CPU microseconds of a firewall's daemon per flow that arrived in fw2 (creation and deletion both). */
    double cpuMicrosPerState(boolean master) {
        return arrived == 0 ? Double.NaN : (master ? masterCpuSeconds : backupCpuSeconds) * 1e6 / arrived;
    }

    /** The lag at {@code quantile} (nearest rank) in milliseconds; NaN when no flow arrived. */
    double lagMillis(double quantile) {
        if (lagsNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * lagsNanos.length);
        return lagsNanos[Math.max(0, Math.min(lagsNanos.length - 1, rank - 1))] / 1e6;
    }

    /** All flows fw1 saw arrived in fw2, with p99 lag within the threshold, measured without bench losses. */
    boolean keptUp(long thresholdMillis) {
        return benchOverruns == 0 && seenMaster > 0 && arrived == seenMaster && lagMillis(0.99) <= thresholdMillis;
    }

    static long[] sorted(long[] lags) {
        long[] copy = lags.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** The step's line after its main one: CPU and the flush. */
    String renderCosts() {
        return String.format(Locale.ROOT,
                "CPU per synced state fw1 %.1f µs, fw2 %.1f µs; daemon event overruns fw1 %d, fw2 %d; deletes drained to fw2 in %.1f s%s",
                cpuMicrosPerState(true), cpuMicrosPerState(false), masterOverruns, backupOverruns, flushSeconds,
                leftInBackup > 0 ? ", " + leftInBackup + " left there (deleted directly)" : "");
    }

    String render(long thresholdMillis) {
        String arrival = arrived == 0 ? "-" : String.format(Locale.ROOT, "%+.2f s", lastArrivalAfterStepNanos / 1e9);
        return String.format(Locale.ROOT,
                "%7d/s  sent %7.0f/s  NEW on fw1 %6d (%6.0f/s)  in fw2 %6d (%5.1f %%, last %s)  lag p50 %6.1f p99 %6.1f max %6.1f ms  %s%s",
                offeredRate, sentRate(), seenMaster, masterRate(), arrived,
                seenMaster == 0 ? 0.0 : 100.0 * arrived / seenMaster, arrival, lagMillis(0.5), lagMillis(0.99),
                lagMillis(1.0), keptUp(thresholdMillis) ? "keeps up" : "BEHIND",
                benchOverruns > 0 ? "  (bench listener lost " + benchOverruns + " event batches: not measured fully)"
                        : unmatched > 0 ? "  (" + unmatched + " unmatched)" : "");
    }
}
