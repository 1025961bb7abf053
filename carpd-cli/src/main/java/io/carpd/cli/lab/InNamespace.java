package io.carpd.cli.lab;

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

    private static final long TIMEOUT_SECONDS = 60;

    private InNamespace() {}

    /** Runs {@code task} in namespace {@code ns} and returns its result; its exception is rethrown as a LabException. */
    public static <T> T call(String ns, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("in-" + ns).daemon(true).start(() -> {
            try {
                io.carpd.core.linux.NetworkNamespace.enter(ns);
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
}
