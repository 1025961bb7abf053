package io.carpd.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and memory of one process from /proc: utime + stime of /proc/PID/stat (in clock ticks)
 * and VmRSS / VmHWM of /proc/PID/status.
 *
 * @param cpuTicks utime + stime
 * @param rssKb    resident set now
 * @param hwmKb    peak resident set
 * @param policy   scheduling policy (0 normal, 1 FIFO, 2 round-robin: real-time)
 */
record ProcUsage(long cpuTicks, long rssKb, long hwmKb, int policy) {

    private static volatile long ticksPerSecond;

    /** The figures of {@code pid}; a process that has gone reads as an error naming it. */
    static ProcUsage of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces and parentheses: fields are counted after its last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            return new ProcUsage(ticks, kb(status, "VmRSS:"), kb(status, "VmHWM:"), Integer.parseInt(f[38]));
        } catch (IOException | RuntimeException e) {
            throw new LabException("cannot read /proc/" + pid + " (did the daemon exit?): " + e.getMessage(), e);
        }
    }

    static double seconds(long ticks) {
        if (ticksPerSecond == 0) {
            ticksPerSecond = Long.parseLong(Namespaces.run(List.of("getconf", "CLK_TCK")).strip());
        }
        return (double) ticks / ticksPerSecond;
    }

    String policyName() {
        return switch (policy) {
            case 0 -> "SCHED_OTHER";
            case 1 -> "SCHED_FIFO";
            case 2 -> "SCHED_RR";
            default -> "policy " + policy;
        };
    }

    private static long kb(List<String> status, String key) {
        return status.stream().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> Long.parseLong(l.substring(key.length()).strip().split("\\s+")[0]))
                .orElse(0L);
    }
}
