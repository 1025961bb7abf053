/**
 * The daemon runtime: the thin driver around the sans-I/O election core. One Netty event loop owns
 * all protocol state; capture and link-watch threads only hand work to it. The runtime decodes
 * frames, feeds events and the monotonic clock to the {@code CarpNode}, and executes the actions it
 * returns in order (addresses, adverts, announcements, timers), keeping the crash-safety records
 * (runtime lock, owned-VIP file) and the operator-visible history and counters.
 */
package io.carpd.core.runtime;
