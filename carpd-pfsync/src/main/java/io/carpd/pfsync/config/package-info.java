/**
 * Config sync: the MASTER pushes named sections (files, carpd's own VHID definitions) to the
 * BACKUP over its own authenticated sync-link connection. The receiver stages every section next
 * to its target, checks sizes and hashes, validates all of them, keeps the previous versions,
 * renames, then applies; a failure at any point restores the previous files and re-runs the apply
 * commands already run, so a sync is either wholly in effect or not at all. Messages, diff,
 * staging and commit logic are plain objects; {@link io.carpd.pfsync.config.ConfigSync} is the
 * only class with sockets and threads. Its counters and last push times
 * ({@link io.carpd.pfsync.config.ConfigSyncStats}) are read without blocking, so
 * {@link io.carpd.pfsync.config.ConfigSyncMetrics} can export them on every scrape.
 */
package io.carpd.pfsync.config;
