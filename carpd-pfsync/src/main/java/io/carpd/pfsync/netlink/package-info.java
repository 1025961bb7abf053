/**
 * A deliberately small netlink transport for ctnetlink: one FFM-bound socket class (open, bind to
 * multicast groups, grow the receive buffer, send, poll-bounded receive, errno as a value), a
 * message builder that writes nlmsghdr/nlattr in host order, and a reader for attribute tables.
 * It carries no conntrack knowledge; it exists only until the core's shared netlink socket lands,
 * and the conntrack package depends on nothing here beyond those three roles.
 */
package io.carpd.pfsync.netlink;
