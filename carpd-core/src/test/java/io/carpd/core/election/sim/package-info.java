/**
 * A deterministic network simulator for the election, in the style of TigerBeetle's packet
 * simulator: real {@link io.carpd.core.election.CarpNode}s exchange adverts over simulated segments
 * with seeded loss, bounded delay, duplication, partitions, crashes, link flaps, demotion and
 * operator actions, in simulated time. Every decision comes from one seed, so a failing seed
 * replays exactly ({@code -Dcarpd.sim.seed=N}); invariants are checked after every event.
 */
package io.carpd.core.election.sim;
