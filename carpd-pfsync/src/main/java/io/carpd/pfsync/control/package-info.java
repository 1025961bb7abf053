/**
 * State sync for operators: {@link io.carpd.pfsync.control.StateSyncControl} answers the control
 * API's {@link io.carpd.core.api.SyncControl} (status snapshot, forced resync) from a running
 * {@link io.carpd.pfsync.link.StateSync}, and {@link io.carpd.pfsync.control.SyncMetrics} publishes
 * the same figures as {@code carpd_sync_*} Prometheus meters.
 */
package io.carpd.pfsync.control;
