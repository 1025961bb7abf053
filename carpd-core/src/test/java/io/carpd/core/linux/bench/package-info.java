/**
 * Bench commands for the Linux I/O layer that print numbers (not timed tests): they need root and
 * build their own throw-away namespaces with {@link io.carpd.testing.Netns}.
 */
package io.carpd.core.linux.bench;
