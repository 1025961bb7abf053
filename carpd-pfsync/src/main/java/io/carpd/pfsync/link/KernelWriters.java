package io.carpd.pfsync.link;

import io.carpd.pfsync.conntrack.ConnKey;
import io.carpd.pfsync.conntrack.ConnState;
import io.carpd.pfsync.conntrack.CtClient;
import io.carpd.pfsync.conntrack.CtWrite;
import io.carpd.pfsync.conntrack.WriteReport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Writes peer states into the kernel over several ctnetlink sockets, each with its own thread.
 * The kernel inserts a conntrack entry in the context of the sending thread, so one socket caps a
 * bulk transfer at one core's worth of insertions; shards spread them. A connection always goes to
 * the same shard (by its key), so its writes stay in order.
 */
final class KernelWriters implements AutoCloseable {
    private final CtClient[] clients;
    private final ExecutorService[] threads;

    private KernelWriters(CtClient[] clients) {
        this.clients = clients;
        this.threads = new ExecutorService[clients.length];
        for (int i = 0; i < clients.length; i++) {
            String name = "sync-kernel-writer-" + i;
            threads[i] = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
        }
    }

    /** Opens {@code shards} sockets in the calling thread's network namespace. */
    static KernelWriters open(int shards) {
        CtClient[] clients = new CtClient[shards];
        try {
            for (int i = 0; i < shards; i++) {
                clients[i] = CtClient.open();
            }
        } catch (RuntimeException e) {
            for (CtClient c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        return new KernelWriters(clients);
    }

    /** One shard per core, at most two: past that the receiving loop, not insertion, is the limit. */
    static int defaultShards() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 2);
    }

    /** Port ids of every socket: their echoes must not come back as local events. */
    int[] portIds() {
        int[] ids = new int[clients.length];
        for (int i = 0; i < clients.length; i++) {
            ids[i] = clients[i].portId();
        }
        return ids;
    }

    /**
     * Splits {@code writes} by shard and applies each part on its thread; {@code report} or, when
     * a part could not be written at all, {@code failure} (with that part's size) runs there.
     */
    void write(List<CtWrite> writes, Consumer<WriteReport> report, BiConsumer<Integer, RuntimeException> failure) {
        if (clients.length == 1) {
            submit(0, writes, report, failure);
            return;
        }
        List<List<CtWrite>> parts = new ArrayList<>(clients.length);
        for (int i = 0; i < clients.length; i++) {
            parts.add(new ArrayList<>(writes.size() / clients.length + 8));
        }
        for (CtWrite w : writes) {
            parts.get(Math.floorMod(key(w).hashCode(), clients.length)).add(w);
        }
        for (int i = 0; i < clients.length; i++) {
            if (!parts.get(i).isEmpty()) {
                submit(i, parts.get(i), report, failure);
            }
        }
    }

    private static ConnKey key(CtWrite w) {
        return switch (w) {
            case CtWrite.Upsert u -> u.state().key();
            case CtWrite.Delete d -> d.key();
        };
    }

    private void submit(int shard, List<CtWrite> writes, Consumer<WriteReport> report, BiConsumer<Integer, RuntimeException> failure) {
        threads[shard].execute(() -> {
            try {
                report.accept(clients[shard].write(writes));
            } catch (RuntimeException e) {
                failure.accept(writes.size(), e);
            }
        });
    }

    /**
     * Dumps the table on the first shard's thread (after the writes queued there) through a socket
     * of its own: a dump cut short (say, by running out of memory) leaves its socket unusable for
     * the next one, and must not take a writer's socket with it.
     */
    CompletableFuture<List<ConnState>> dump(Predicate<ConnState> filter) {
        return CompletableFuture.supplyAsync(() -> {
            List<ConnState> out = new ArrayList<>();
            try (CtClient dumper = CtClient.open()) {
                dumper.dump(s -> {
                    if (filter.test(s)) {
                        out.add(s);
                    }
                });
            }
            return out;
        }, threads[0]);
    }

    /** Completes once every write handed out before this call is done. */
    CompletableFuture<Void> drained() {
        CompletableFuture<?>[] all = new CompletableFuture<?>[threads.length];
        for (int i = 0; i < threads.length; i++) {
            all[i] = CompletableFuture.runAsync(() -> { }, threads[i]);
        }
        return CompletableFuture.allOf(all);
    }

    @Override
    public void close() {
        for (ExecutorService t : threads) {
            t.shutdown();
        }
        for (ExecutorService t : threads) {
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (CtClient c : clients) {
            c.close();
        }
    }
}
