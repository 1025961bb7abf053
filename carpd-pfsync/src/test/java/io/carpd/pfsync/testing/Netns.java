package io.carpd.pfsync.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Network namespaces for one test class: {@link #create} makes {@code <prefix><name>} with a
 * random per-run prefix, {@link #close} deletes every namespace it made. Commands run with
 * {@code ip netns exec}; Java code runs on a fresh platform thread that entered the namespace.
 */
public final class Netns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String prefix = String.format("cd%04x-", ThreadLocalRandom.current().nextInt(0x10000));
    private final List<String> created = new ArrayList<>();

    private Netns() {
    }

    /**
     * Skips the calling test unless it can use namespaces (root and the {@code ip} tool), but fails
     * when the system property {@code carpd.requireNetns=true} says CI requires these tests.
     */
    public static Netns open(String... requiredTools) {
        boolean required = Boolean.getBoolean("carpd.requireNetns");
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "namespace tests need root";
        } else {
            List<String> tools = new ArrayList<>(List.of("ip"));
            tools.addAll(List.of(requiredTools));
            for (String tool : tools) {
                if (!onPath(tool)) {
                    why = "namespace tests need '" + tool + "' on PATH";
                    break;
                }
            }
        }
        if (why != null) {
            if (required) {
                throw new AssertionError(why + " (carpd.requireNetns=true)");
            }
            Assumptions.abort(why);
        }
        return new Netns();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new java.io.File("/usr/sbin", tool).canExecute();
    }

    /** Creates namespace {@code prefix + name} with its loopback up; returns the full name. */
    public String create(String name) {
        String full = prefix + name;
        run("ip", "netns", "add", full);
        created.add(full);
        exec(full, "ip", "link", "set", "lo", "up");
        return full;
    }

    public String prefix() {
        return prefix;
    }

    /** Runs {@code cmd} inside namespace {@code ns}; fails with its output when it exits non-zero. */
    public String exec(String ns, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** Runs {@code cmd} inside {@code ns} with {@code stdin} as input, bounded to 10 s. */
    public String execWithInput(String ns, String stdin, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return runWithInput(stdin, full.toArray(String[]::new));
    }

    /** Starts {@code cmd} inside {@code ns} in the background; the caller destroys it. */
    public Process spawn(String ns, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        try {
            return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full, e);
        }
    }

    public static String run(String... cmd) {
        return runWithInput(null, cmd);
    }

    private static String runWithInput(String stdin, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Runs {@code body} on a new platform thread that has entered namespace {@code ns}. */
    public <T> T call(String ns, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(() -> {
            enter(ns);
            return body.call();
        });
        Thread t = Thread.ofPlatform().name("netns-" + ns).unstarted(task);
        t.start();
        try {
            return task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("in namespace " + ns, e);
        }
    }

    private static void enter(String ns) throws Exception {
        try {
            enterNative(ns);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void enterNative(String ns) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom("/var/run/netns/" + ns), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open netns " + ns + ": errno " + (int) ERRNO.get(errno, 0L));
            }
            int r = (int) SETNS.invokeExact(errno, fd, CLONE_NEWNET);
            int err = (int) ERRNO.get(errno, 0L);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (r != 0) {
                throw new IllegalStateException("setns " + ns + ": errno " + err);
            }
        }
    }

    @Override
    public void close() {
        for (String ns : created.reversed()) {
            try {
                run("ip", "netns", "del", ns);
            } catch (RuntimeException e) {
                System.err.println("cleanup of namespace " + ns + " failed: " + e.getMessage());
            }
        }
        created.clear();
    }
}
