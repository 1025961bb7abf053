/**
 * Tests of the monitoring files under {@code config/} (Grafana dashboard, Prometheus rules and
 * scrape config, Telegraf inputs) against what carpd really exports: promtool checks, rule unit
 * tests, metric names referenced by PromQL versus a live daemon's {@code /metrics}, and a real
 * Prometheus server watching a failover between two daemons in network namespaces.
 */
package io.carpd.cli.monitoring;
