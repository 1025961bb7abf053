/**
 * Operator control of a running carpd: the {@link io.carpd.core.api.ControlPlane} contract the daemon
 * runtime implements (immutable status/counter snapshots in, operator commands out) and the
 * {@link io.carpd.core.api.ControlServer} that serves it as versioned HTTP/JSON on a root-only Unix
 * socket and, optionally, on a token-protected TCP port, together with Prometheus metrics and an
 * OPNsense-compatible {@code getVipStatus} view for existing dashboards and exporters. State sync and
 * config sync, which live in another module, plug in through the optional
 * {@link io.carpd.core.api.SyncControl} and {@link io.carpd.core.api.ConfigSyncControl}, bundled as
 * {@link io.carpd.core.api.ApiExtensions}.
 */
package io.carpd.core.api;
