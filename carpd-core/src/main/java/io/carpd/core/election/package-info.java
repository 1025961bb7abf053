/**
 * The CARP election, sans I/O: one {@link io.carpd.core.election.VirtualHost} state machine per
 * (interface, VHID), the node-wide {@link io.carpd.core.election.Demotion} counters, and the
 * {@link io.carpd.core.election.CarpNode} that routes events between them. Nothing here touches
 * sockets, threads or clocks: events and a monotonic {@code now} in nanoseconds go in, actions
 * (send an advert, take or release the VIPs, announce, arm a timer) come out, and the runtime
 * performs them in order. The rules follow OpenBSD's {@code ip_carp.c} (spec/carp.md §3) with the
 * carpd decisions of §9, chiefly that demotion is sent both in the OpenBSD demote byte and folded
 * into the advertised advskew so FreeBSD and ucarp peers also see a demoted node as worse.
 */
package io.carpd.core.election;
