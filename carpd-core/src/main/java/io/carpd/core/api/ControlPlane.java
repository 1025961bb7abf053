package io.carpd.core.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the control API needs from a running daemon. Implemented by the runtime.
 *
 * <p>Every method is thread-safe and may block briefly while it hops onto the daemon's event loop;
 * the {@link ControlServer} therefore calls it from its own worker threads, never from an I/O thread
 * and never from the daemon loop. Commands are idempotent and take effect before they return.
 * A command the daemon refuses throws {@link ControlException}, whose kind selects the HTTP status.
 */
public interface ControlPlane {

    /** A consistent snapshot of the node: VIPs, demotion, flags and counters. */
    NodeStatus status();

    /** Persistent maintenance: demotes group "carp" (source "maintenance", 240) and stores the flag first. */
    void setMaintenance(boolean enabled);

    /**
     * Sets the operator's demotion source ("operator") of {@code group} to {@code value} (0..255);
     * 0 clears it. Throws {@link ControlException.Kind#NOT_FOUND} for a group no VHID belongs to.
     */
    void setDemotion(String group, int value);

    /** Operator disable (release every VIP, stay silent; persisted) or enable. */
    void setDisabled(boolean disabled);

    /** Re-reads the configuration and applies it without disturbing unchanged VHIDs. */
    ReloadResult reload();

    /** The newest {@code n} events, oldest first (fewer if fewer are retained). */
    List<NodeEventRecord> events(int n);

    /**
     * Calls {@code listener} for every event recorded from now on, in order, until the returned handle
     * is closed. The listener runs on the daemon's thread: it must be quick and must not block.
     */
    Subscription subscribe(Consumer<NodeEventRecord> listener);

    /** Ends a {@link #subscribe} registration; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
