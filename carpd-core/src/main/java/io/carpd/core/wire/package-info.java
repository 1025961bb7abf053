/**
 * The CARP v2 wire format (spec carp.md §1, §2, §9): {@link io.carpd.core.wire.AdvertEncoder} builds
 * whole Ethernet frames for IPv4 and IPv6, {@link io.carpd.core.wire.AdvertDecoder} validates received
 * frames in OpenBSD's order and names every drop with a {@link io.carpd.core.wire.DropReason}, and
 * {@link io.carpd.core.wire.CarpAuth} holds the precomputed HMAC-SHA1 states of one virtual host so
 * that signing and verifying hash only the counter. No I/O here; the receive path allocates nothing,
 * which is why SHA-1 is implemented in this package instead of using {@code javax.crypto.Mac}.
 */
package io.carpd.core.wire;
