package io.carpd.core.hooks;

/**
 * The node's overall role, derived from the states of all its VHIDs: MASTER, BACKUP or INIT when
 * every VHID is in that state, MIXED otherwise (some VIPs here, some on the peer, or some VHIDs
 * down). A node without VHIDs is INIT.
 */
public enum Role {
    INIT,
    BACKUP,
    MASTER,
    MIXED
}
