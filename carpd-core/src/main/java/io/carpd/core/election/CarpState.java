package io.carpd.core.election;

/** The three CARP states: INIT (not runnable), BACKUP (silent, listening), MASTER (owns the VIPs, advertises). */
public enum CarpState {
    INIT,
    BACKUP,
    MASTER
}
