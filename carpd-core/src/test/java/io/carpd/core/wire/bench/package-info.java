/**
 * JMH benchmarks of the wire codec's hot path (decode + HMAC verify of one advert from a reused
 * buffer), run with {@code bin/bench-wire}; they print ns/op and bytes allocated per op and are
 * never part of the test run.
 */
package io.carpd.core.wire.bench;
