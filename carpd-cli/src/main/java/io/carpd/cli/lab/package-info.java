/**
 * The {@code carpd lab}: the reference deployment (client, fw1, fw2, server, and a switch holding a
 * LAN and a WAN bridge) built from Linux network namespaces on documentation addresses, with two
 * real carpd daemons electing over it. {@link io.carpd.cli.lab.Namespaces} runs {@code ip}/{@code nft}
 * against named namespaces, {@link io.carpd.cli.lab.Topology} wires the deployment,
 * {@link io.carpd.cli.lab.Lab} adds configs, daemons and failure injection on top and records
 * everything it created in a lab directory so {@code down} always cleans up. The same classes drive
 * the end-to-end tests and the failover benchmark; nothing here touches the root namespace.
 */
package io.carpd.cli.lab;
