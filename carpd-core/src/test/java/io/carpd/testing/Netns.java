package io.carpd.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A throw-away network namespace for tests, named {@code <prefix><short name>} where the prefix
 * ({@link #PREFIX}, e.g. {@code cd3f9a-}) is unique per JVM run, so concurrent runs never collide.
 *
 * <p>Typical use:
 * <pre>{@code
 * @BeforeAll static void setUp() {
 *     Netns.assumeAvailable();            // skip when not root; fail if -Dcarpd.requireNetns=true
 *     a = Netns.create("a");
 *     b = Netns.create("b");
 *     Netns.veth(a, "eth0", b, "eth0");   // also sets both ends up
 *     a.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "eth0");
 * }
 * @AfterAll static void tearDown() { Netns.closeAll(a, b); }
 *
 * LinkInfo l = a.call(() -> { try (RtNetlink nl = RtNetlink.open()) { return nl.link("eth0"); } });
 * }</pre>
 *
 * <p>Java code runs inside a namespace on a platform thread that has called setns(2): network
 * namespaces are per thread, sockets keep the namespace they were created in, and threads started
 * from such a thread inherit it. {@link #call} uses a fresh thread per task; {@link #executor()} keeps
 * one thread for a sequence of tasks. {@link #exec}/{@link #run}/{@link #sh} run short commands
 * (30 s limit), {@link #start} long-running ones. Everything created is deleted by {@link #close()}
 * (processes killed, executors stopped, namespace deleted), and by a
 * shutdown hook if a test forgot. Root's own namespace is never touched: only use {@code ip -n} /
 * {@link #exec} and documentation address ranges (192.0.2.0/24, 203.0.113.0/28, 198.51.100.0/30,
 * 2001:db8::/32).
 */
public final class Netns implements AutoCloseable {
    /** Per-run name prefix: "cd" + 4 random hex digits + "-". */
    public static final String PREFIX = "cd" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()) + "-";
    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String name : List.copyOf(LIVE)) {
                runHost(List.of("ip", "netns", "del", name));
            }
        }, "netns-cleanup"));
    }

    private final String name;
    private final List<ExecutorService> executors = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Skips the calling test (JUnit assumption) unless it runs as root with iproute2 available; with
     * system property {@code carpd.requireNetns=true} (set by CI) it fails instead of skipping.
     */
    public static void assumeAvailable() {
        guard(unavailableReason(), Boolean.getBoolean("carpd.requireNetns"));
    }

    /** The decision of {@link #assumeAvailable()}: pass when {@code reason} is null, else fail or skip. */
    static void guard(String reason, boolean required) {
        if (reason == null) {
            return;
        }
        if (required) {
            throw new AssertionError("network namespace tests required (carpd.requireNetns=true) but " + reason);
        }
        Assumptions.abort("network namespace tests skipped: " + reason);
    }

    private static String unavailableReason() {
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
            if (!uid.equals("0")) {
                return "not running as root (uid " + uid + ")";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        Result r = runHost(List.of("ip", "-V"));
        return r.exitCode() == 0 ? null : "iproute2 'ip' is not usable: " + r.output();
    }

    /** Creates namespace {@code PREFIX + shortName} with its loopback up. */
    public static Netns create(String shortName) {
        String name = PREFIX + shortName;
        Result r = runHost(List.of("ip", "netns", "add", name));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot create network namespace " + name + ": " + r.output());
        }
        LIVE.add(name);
        Netns ns = new Netns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Connects two namespaces with a veth pair ({@code ifA} in {@code a}, {@code ifB} in {@code b}), both ends up. */
    public static void veth(Netns a, String ifA, Netns b, String ifB) {
        a.exec("ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name());
        a.exec("ip", "link", "set", ifA, "up");
        b.exec("ip", "link", "set", ifB, "up");
    }

    public String name() {
        return name;
    }

    /** Outcome of a command: exit code and combined stdout/stderr. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code command} inside the namespace; throws if it exits non-zero. Returns its output. */
    public String exec(String... command) {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("in netns " + name + ": '" + String.join(" ", command)
                    + "' exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** Runs {@code command} inside the namespace and returns exit code and output, whatever they are. */
    public Result run(String... command) {
        return runHost(inside(command));
    }

    /**
     * Starts a long-running {@code command} inside the namespace (a daemon, a traffic source), with
     * output appended to {@code log}. The process is killed by {@link #close()} if still running.
     */
    public synchronized Process start(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(inside(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        p.getOutputStream().close();
        processes.add(p);
        return p;
    }

    /** {@code ip netns exec <name> command...}: {@code command} as it runs inside the namespace. */
    private List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    /** Runs a shell script inside the namespace; throws if it exits non-zero. */
    public String sh(String script) {
        return exec("sh", "-c", script);
    }

    /** Runs {@code task} on a new platform thread inside the namespace and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).daemon(true).start(() -> {
            try {
                io.carpd.core.linux.NetworkNamespace.enter(name);
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(COMMAND_TIMEOUT_SECONDS * 4, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            t.interrupt();
        }
    }

    /**
     * A single-thread executor whose thread lives inside the namespace, for tasks that must share state
     * (a socket opened in one task, used in the next). Shut down by {@link #close()}.
     */
    public synchronized ExecutorService executor() {
        AtomicReference<Throwable> enterFailure = new AtomicReference<>();
        ExecutorService ex = Executors.newSingleThreadExecutor(r ->
                Thread.ofPlatform().name("netns-" + name).daemon(true).unstarted(() -> {
                    try {
                        io.carpd.core.linux.NetworkNamespace.enter(name);
                    } catch (Throwable e) {
                        enterFailure.set(e);
                        return; // never run tasks outside the namespace
                    }
                    r.run();
                }));
        executors.add(ex);
        Future<?> probe = ex.submit(() -> { });
        try {
            probe.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ex.shutdownNow();
            throw new IllegalStateException("cannot start a thread in netns " + name, enterFailure.get() != null ? enterFailure.get() : e);
        }
        return ex;
    }

    /** Deletes the namespace (and with it every interface inside); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        executors.forEach(ExecutorService::shutdownNow);
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Result r = runHost(List.of("ip", "netns", "del", name));
        LIVE.remove(name);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot delete network namespace " + name + ": " + r.output());
        }
    }

    /** Closes every non-null namespace, continuing past failures; for @AfterAll. */
    public static void closeAll(Netns... namespaces) {
        RuntimeException first = null;
        for (Netns ns : namespaces) {
            if (ns == null) {
                continue;
            }
            try {
                ns.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Result runHost(List<String> command) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe, so a command that leaves a child holding the pipe
            // (or never ends) cannot block us past the timeout.
            output = Files.createTempFile("netns-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "'" + String.join(" ", command) + "' timed out after "
                        + COMMAND_TIMEOUT_SECONDS + " s: " + Files.readString(output));
            }
            return new Result(p.exitValue(), Files.readString(output));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** open(2), setns(2) and close(2), bound lazily so a skipped test never touches native code. */
}
