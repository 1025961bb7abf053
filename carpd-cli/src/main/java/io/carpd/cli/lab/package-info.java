/**
 * The {@code carpd lab}: the reference deployment (client, fw1, fw2, server, and a switch holding a
 * LAN and a WAN bridge; fw1 and fw2 joined by a SYNC link) built from Linux network namespaces on
 * documentation addresses, with two real carpd daemons electing over it — or, for comparison,
 * Debian's ucarp or keepalived ({@link io.carpd.cli.lab.DaemonKind}). {@link io.carpd.cli.lab.Namespaces}
 * runs {@code ip}/{@code nft} against named namespaces, {@link io.carpd.cli.lab.Topology} wires the
 * deployment, {@link io.carpd.cli.lab.Lab} adds configs, daemons and failure injection on top and
 * records everything it created in a lab directory so {@code down} always cleans up;
 * {@link io.carpd.cli.lab.LabTraffic} sends bounded UDP through both VIPs to measure outages. The same
 * classes drive the end-to-end tests, the demo and the failover benchmark. The state sync benchmark
 * ({@link io.carpd.cli.lab.SyncBench}) runs carpd or conntrackd ({@link io.carpd.cli.lab.SyncDaemons})
 * on the two firewalls, sends new UDP flows through fw1 ({@link io.carpd.cli.lab.FlowGenerator}) and
 * times each flow's arrival in both kernels ({@link io.carpd.cli.lab.FlowArrivals}), with sockets
 * opened inside the namespaces by {@link io.carpd.cli.lab.InNamespace}. Nothing here touches the root
 * namespace.
 */
package io.carpd.cli.lab;
