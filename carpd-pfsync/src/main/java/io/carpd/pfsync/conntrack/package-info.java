/**
 * Linux conntrack as carpd sees it: value records for one connection ({@link
 * io.carpd.pfsync.conntrack.ConnState}, keyed by zone, family and original tuple, never by the
 * kernel's per-boot id), the ctnetlink message codec, an event source (NEW/UPDATE/DESTROY with
 * overruns surfaced as events so the caller resyncs by dump, and echoes of our own injections
 * dropped by port id), and a client that dumps the table and writes batches of entries, marking
 * injected TCP entries BE_LIBERAL so the kernel relearns windows from the first packets it sees.
 */
package io.carpd.pfsync.conntrack;
