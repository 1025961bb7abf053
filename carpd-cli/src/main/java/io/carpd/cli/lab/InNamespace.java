package io.carpd.cli.lab;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens sockets inside a named network namespace from this JVM: the task runs on a fresh platform
 * thread that has called setns(2), and whatever socket it creates (netlink, UDP) stays in that
 * namespace for its whole life, usable from any thread afterwards. The calling thread and the
 * rest of the JVM stay where they are.
 */
public final class InNamespace {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final long TIMEOUT_SECONDS = 60;

    private InNamespace() {}

    /** Runs {@code task} in namespace {@code ns} and returns its result; its exception is rethrown as a LabException. */
    public static <T> T call(String ns, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("in-" + ns).daemon(true).start(() -> {
            try {
                enter(ns);
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LabException("in namespace " + ns + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new LabException("in namespace " + ns + ": no result within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    private static void enter(String ns) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            String path = "/run/netns/" + ns;
            int fd = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new LabException("cannot open " + path + ": errno " + Native.errno(state));
            }
            int r = (int) Native.SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int errno = Native.errno(state);
            int ignored = (int) Native.CLOSE.invokeExact(fd);
            if (r != 0) {
                throw new LabException("setns into " + ns + " failed: errno " + errno);
            }
        }
    }

    /** open(2), setns(2), close(2); bound on first use so that other lab verbs never link them. */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO_VALUE = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
        static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
        static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));

        static int errno(MemorySegment state) {
            return (int) ERRNO_VALUE.get(state, 0L);
        }
    }
}
