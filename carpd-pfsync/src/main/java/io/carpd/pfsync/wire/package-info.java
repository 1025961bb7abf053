/**
 * The sync protocol on the wire, without I/O: frames of typed, length-prefixed records (a receiver
 * skips types it does not know, so version N and N+1 interoperate), a HELLO handshake that agrees
 * on a version and exchanges fresh session nonces, and per-frame HMAC-SHA256 under direction keys
 * derived from the configured key and both nonces, with strictly consecutive sequence numbers so
 * that replayed, reflected or reordered frames are rejected and every rejection is counted.
 */
package io.carpd.pfsync.wire;
