/**
 * The carpd configuration: immutable records describing one node (its VHIDs, paths, API, hooks and
 * sync link) and {@link io.carpd.core.config.ConfigLoader}, which reads the YAML file, applies the
 * {@code defaults} section to every VHID and validates everything in one pass. Every problem carries
 * the file, line and column of the offending key or value so an operator can fix a whole file at
 * once instead of one error per restart. The package does no network I/O: checks that need the
 * host's interface addresses go through {@link io.carpd.core.config.InterfaceAddresses}; the daemon
 * loads with {@code unknown()} (no such check), {@code carpd check-config} with the JDK's view of the
 * current namespace.
 */
package io.carpd.core.config;
