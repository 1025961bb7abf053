/**
 * The running side of state sync: {@link io.carpd.pfsync.link.SyncLink} carries authenticated
 * frames over TCP on the dedicated sync link with Netty (one connection; the node with the lower
 * address dials and redials, the other listens and accepts only its peer), and {@link
 * io.carpd.pfsync.link.StateSync} drives the sans-I/O engine on the link's event loop, feeds it
 * kernel events from a reader thread, and writes peer states into the kernel on a writer thread.
 */
package io.carpd.pfsync.link;
