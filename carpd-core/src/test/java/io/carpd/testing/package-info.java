/**
 * Test support shared by carpd's tests: {@link io.carpd.testing.Netns} creates throw-away network
 * namespaces (unique per-run prefix, always deleted), runs commands and Java code inside them, and
 * holds the skip-unless-root guard that CI turns into a failure with {@code -Dcarpd.requireNetns=true}.
 */
package io.carpd.testing;
