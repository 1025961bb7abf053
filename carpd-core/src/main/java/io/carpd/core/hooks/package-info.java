/**
 * Transition hooks: operator executables run when a VHID changes state, when the node's overall
 * role (MASTER of all, BACKUP of all, INIT, or mixed) changes, and when a demotion group's total
 * changes. {@link io.carpd.core.hooks.NodeRoleTracker} turns election output into
 * {@link io.carpd.core.hooks.HookEvent}s without any I/O; {@link io.carpd.core.hooks.HookRunner}
 * runs the hooks of each event one at a time on its own thread, so a slow or hanging script can
 * never stall the event loop that drives CARP: the caller only enqueues, a full queue sheds the
 * oldest pending event, and a hook past its timeout is killed together with everything it started.
 */
package io.carpd.core.hooks;
