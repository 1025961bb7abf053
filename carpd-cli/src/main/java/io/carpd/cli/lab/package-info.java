/**
 * The {@code carpd lab}: the reference deployment (client, fw1, fw2, server, and a switch holding a
 * LAN and a WAN bridge; fw1 and fw2 joined by a SYNC link) built from Linux network namespaces on
 * documentation addresses, with two real carpd daemons electing over it — or, for comparison,
 * Debian's ucarp or keepalived ({@link io.carpd.cli.lab.DaemonKind}). {@link io.carpd.cli.lab.Namespaces}
 * runs {@code ip}/{@code nft} against named namespaces, {@link io.carpd.cli.lab.Topology} wires the
 * deployment, {@link io.carpd.cli.lab.Lab} adds configs, daemons and failure injection on top and
 * records everything it created in a lab directory so {@code down} always cleans up;
 * {@link io.carpd.cli.lab.LabTraffic} sends bounded UDP through both VIPs to measure outages. The same
 * classes drive the end-to-end tests, the demo and the failover benchmark; nothing here touches the
 * root namespace.
 */
package io.carpd.cli.lab;
