/**
 * Prometheus metrics of carpd. {@link io.carpd.core.metrics.CarpdMetrics} holds a Micrometer
 * Prometheus registry whose carpd meters are functions over the latest
 * {@link io.carpd.core.api.NodeStatus} snapshot, taken once per scrape on the control server's worker
 * thread, so the daemon's event loop never takes a lock or updates a meter. Other modules may add their
 * own meters to {@link io.carpd.core.metrics.CarpdMetrics#registry()}.
 */
package io.carpd.core.metrics;
