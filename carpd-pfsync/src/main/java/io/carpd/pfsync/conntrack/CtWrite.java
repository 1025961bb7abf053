package io.carpd.pfsync.conntrack;

/** One change to write into the kernel's conntrack table. */
public sealed interface CtWrite {

    /** Create the connection, or update it in place when it exists. */
    record Upsert(ConnState state) implements CtWrite {}

    /** Remove the connection; one already absent counts as done. */
    record Delete(ConnKey key) implements CtWrite {}
}
