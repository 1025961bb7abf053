/**
 * Linux I/O for owning virtual IPs: rtnetlink over the Java FFM API (links, addresses, neighbours,
 * macvlan, link-state events), per-interface ARP sysctls, CARP frame capture and injection through
 * pcap4j, and hand-built gratuitous ARP / unsolicited neighbour advertisement frames. Everything here
 * talks to the kernel of the network namespace of the thread that opens it (sockets keep the
 * namespace they were created in), which is what lets tests drive it from inside namespaces.
 */
package io.carpd.core.linux;
