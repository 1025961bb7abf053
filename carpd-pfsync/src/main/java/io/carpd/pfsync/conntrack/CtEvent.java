package io.carpd.pfsync.conntrack;

/** What the kernel reported about the local conntrack table. */
public sealed interface CtEvent {

    /** A connection was confirmed (first packet passed). */
    record New(ConnState state) implements CtEvent {}

    /** A connection changed; TCP info is present only if it changed ({@link ConnState#mergedWith}). */
    record Update(ConnState state) implements CtEvent {}

    /** A connection ended (explicit delete, or garbage collection after its timeout). */
    record Destroy(ConnState state) implements CtEvent {}

    /** The kernel dropped events (ENOBUFS): the caller's view is stale until it resyncs by dump. */
    record Overrun() implements CtEvent {}
}
