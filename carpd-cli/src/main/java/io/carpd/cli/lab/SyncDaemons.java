package io.carpd.cli.lab;

import java.util.List;

/**
 * The state sync daemons a sync-bench lab runs on fw1 (MASTER) and fw2 (BACKUP): carpd, or
 * conntrackd for comparison. Each starts its pair, says which processes to measure, and reports
 * the events it lost.
 */
sealed interface SyncDaemons permits CarpdSyncDaemons, ConntrackdSyncDaemons {

    String label();

    /** The lab profile the daemons need (carpd: state sync on; conntrackd: carpd's config files stay unused). */
    LabProfile profile();

    /** Starts both daemons with fw1 holding the VIPs, and returns once they sync (bounded; throws if not). */
    void start(Lab lab);

    /** The processes of the firewall's daemon, measured for CPU and memory. */
    List<ProcessHandle> processes(Lab lab, LabNode fw);

    /** Conntrack event overruns (ENOBUFS) the firewall's daemon has reported since it started. */
    long overruns(Lab lab, LabNode fw);

    /** Lost events and failed kernel writes the daemons report, one line per firewall. */
    List<String> losses(Lab lab);
}
