package io.carpd.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ip}, {@code nft} and {@code sysctl} against named network namespaces. Every lab step
 * that touches the kernel goes through here, so there is one way to do each thing and every
 * failure names the command that failed. Nothing here addresses the root namespace: each call
 * carries a namespace name.
 */
public final class Namespaces {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Namespaces() {}

    /** Outcome of one command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code argv} (optionally feeding {@code stdin}) and returns its outcome, whatever it is;
     * a command still running after 20 s is killed and reported as an error.
     */
    public static Result tryRun(List<String> argv, String stdin) {
        return tryRun(argv, stdin, TIMEOUT);
    }

    static Result tryRun(List<String> argv, String stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        // Both pipes drain in the background: reading stdout here until EOF would block before the
        // timeout below could ever fire on a command that hangs.
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()),
                Thread.ofVirtual()::start);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()),
                Thread.ofVirtual()::start);
        try {
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LabException(String.join(" ", argv) + ": no exit within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            p.destroyForcibly();
            throw new LabException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException(String.join(" ", argv) + ": interrupted", e);
        }
    }

    /** Runs {@code argv} and returns its standard output; a non-zero exit is an error naming the command. */
    public static String run(List<String> argv) {
        return run(argv, null);
    }

    static String run(List<String> argv, String stdin) {
        Result r = tryRun(argv, stdin);
        if (!r.ok()) {
            throw new LabException(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Whether this process runs with effective uid 0, which every namespace operation needs. */
    public static boolean runningAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a named namespace exists (its bind mount under /run/netns). */
    public static boolean exists(String ns) {
        return Files.exists(Path.of("/run/netns", ns));
    }

    /** Creates a namespace with its loopback up. */
    public static void add(String ns) {
        run(List.of("ip", "netns", "add", ns));
        ip(ns, "link", "set", "lo", "up");
    }

    /**
     * Deletes a namespace after killing every process still inside it (all of them were started by
     * the lab: daemons, echo servers, probers), so the namespace really goes away. Absent is fine.
     */
    public static void delete(String ns) {
        if (!exists(ns)) {
            return;
        }
        killAll(ns);
        Result r = tryRun(List.of("ip", "netns", "delete", ns), null);
        if (!r.ok() && exists(ns)) {
            throw new LabException("ip netns delete " + ns + " failed: " + r.stderr().strip());
        }
    }

    /** Kills with SIGKILL every process in the namespace and waits (bounded) until they are gone. */
    public static void killAll(String ns) {
        for (long pid : pids(ns)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!pids(ns).isEmpty() && System.nanoTime() < deadline) {
            sleepMillis(20);
        }
    }

    /** Process ids living in the namespace. */
    public static List<Long> pids(String ns) {
        Result r = tryRun(List.of("ip", "netns", "pids", ns), null);
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(pids::add);
        }
        return pids;
    }

    /** {@code ip -n NS args...}. */
    public static String ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        return run(argv);
    }

    /** {@code ip netns exec NS args...}. */
    public static String exec(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(args));
        return run(argv);
    }

    /**
     * Starts {@code argv} inside the namespace in a session of its own (so a terminal's Ctrl-C does
     * not reach it) with stdout and stderr appended to {@code log}. {@code ip netns exec} and
     * {@code setsid} both exec in place, so the returned process is the command itself.
     */
    public static Process spawn(String ns, List<String> argv, Path log) {
        List<String> full = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", ns));
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    /** Sets a (namespaced) sysctl inside the namespace. */
    public static void sysctl(String ns, String key, String value) {
        exec(ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /** Loads an nftables script inside the namespace. */
    public static void nft(String ns, String script) {
        run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), script);
    }

    /**
     * An interface's addresses (each {@code address/prefixlen}) and whether it can carry traffic
     * (administratively up with carrier).
     */
    public record LinkAddresses(boolean running, List<String> addresses) {}

    /** Addresses per interface, read with {@code ip -j addr}. */
    public static Map<String, LinkAddresses> addresses(String ns) {
        Map<String, LinkAddresses> byIface = new LinkedHashMap<>();
        try {
            for (JsonNode link : JSON.readTree(ip(ns, "-j", "addr", "show"))) {
                List<String> cidrs = new ArrayList<>();
                for (JsonNode a : link.path("addr_info")) {
                    cidrs.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                }
                List<String> flags = new ArrayList<>();
                link.path("flags").forEach(f -> flags.add(f.asText()));
                boolean running = flags.contains("UP") && flags.contains("LOWER_UP");
                byIface.put(link.path("ifname").asText(), new LinkAddresses(running, cidrs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ip -n " + ns + " -j addr show: unreadable JSON", e);
        }
        return byIface;
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
