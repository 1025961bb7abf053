package io.carpd.pfsync.config;

import io.carpd.core.api.ConfigSyncControl;
import io.carpd.core.api.ControlException;
import io.carpd.pfsync.config.ConfigMessage.Accepted;
import io.carpd.pfsync.config.ConfigMessage.Begin;
import io.carpd.pfsync.config.ConfigMessage.Chunk;
import io.carpd.pfsync.config.ConfigMessage.End;
import io.carpd.pfsync.config.ConfigMessage.Manifest;
import io.carpd.pfsync.config.ConfigMessage.Query;
import io.carpd.pfsync.config.ConfigMessage.Report;
import io.carpd.pfsync.config.ConfigMessage.Result;
import io.carpd.pfsync.config.ConfigMessage.SectionHash;
import io.carpd.pfsync.link.LinkSettings;
import io.carpd.pfsync.link.SyncLink;
import io.carpd.pfsync.wire.SyncRecord;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config sync of one node, running. It has its own {@link SyncLink} connection to the peer (the
 * sync port + 1, same key and authentication as state sync), so a large transfer never delays
 * connection-state updates and the state engine's frame numbering stays its own. Both nodes run
 * it; whichever is MASTER pushes. Receiving work (staging, validate, apply, rollback) runs on one
 * platform thread, in arrival order; pushes run on the caller's thread, one at a time.
 */
public final class ConfigSync implements ConfigSyncControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigSync.class);
    /** Raw bytes per chunk message; base64 in JSON keeps one chunk within one record. */
    static final int CHUNK_BYTES = 32 * 1024;
    private static final int FRAGMENTS_PER_FRAME = 8;
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration AFTER_RELOAD_WAIT = Duration.ofSeconds(20);

    /** What config sync must know of the CARP side of the node. */
    public interface NodeView {
        /** VHIDs this node is not MASTER of, e.g. "vhid 2 on lan is BACKUP"; empty when MASTER of all. */
        List<String> notMaster();

        /** VHIDs this node is MASTER of, e.g. "vhid 2 on lan"; empty when it is MASTER of none. */
        List<String> masterOf();
    }

    /** Content this node sends for a section (a file's bytes; for VHIDs, rendered definitions). */
    @FunctionalInterface
    public interface Outgoing {
        byte[] read(LocalSection section) throws IOException;
    }

    /**
     * @param sections        every section this node knows, in push and apply order
     * @param transferTimeout an incoming transfer idle this long is abandoned; also bounds waits for the peer
     * @param commandTimeout  per validate/apply command; bounds the wait for the peer's result
     * @param rateLimitKibps  0 = unlimited
     */
    public record Settings(NodeIdentity self, List<LocalSection> sections, ConfigHistory history,
                           Duration transferTimeout, Duration commandTimeout, int rateLimitKibps, boolean afterReload) {
        public Settings {
            sections = List.copyOf(sections);
        }
    }

    private final Settings settings;
    private final NodeView node;
    private final Outgoing outgoing;
    private final Map<String, LocalSection> byName;
    private final SyncLink link;
    private final EventLoop loop;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("config-sync-apply").daemon(true).unstarted(r));
    private final ReentrantLock pushing = new ReentrantLock();
    private final Map<Long, CompletableFuture<ConfigMessage>> waiting = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final String peerAddress;
    private final ConfigSyncStats stats = new ConfigSyncStats();

    // link loop only
    private ConfigMessageCodec.Reassembler reassembler;
    private long sendSeq;
    private volatile boolean up;
    private volatile long connectionEpoch;
    private volatile long lastInbound;

    // applier thread only (read for status through volatile copies)
    private Reception reception;
    private volatile Transfer receiving;
    private volatile Last lastSent;
    private volatile Last lastReceived;
    /** The peer's node name once it has told us (messages name their sender), else its address. */
    private volatile String peerName;

    public ConfigSync(LinkSettings linkSettings, Settings settings, NodeView node, Outgoing outgoing) {
        this.settings = settings;
        this.node = node;
        this.outgoing = outgoing;
        this.byName = new java.util.LinkedHashMap<>();
        settings.sections().forEach(s -> byName.put(s.name(), s));
        this.peerAddress = linkSettings.peer().getHostAddress();
        this.peerName = peerAddress;
        this.link = new SyncLink(linkSettings, new SyncLink.Listener() {
            @Override
            public void established(int peerNodeId, int version) {
                sendSeq = 0;
                reassembler = new ConfigMessageCodec.Reassembler();
                connectionEpoch++;
                up = true;
            }

            @Override
            public void frame(long seq, List<SyncRecord> records) {
                received(records);
            }

            @Override
            public void lost(String reason) {
                up = false;
                connectionEpoch++;
                reassembler = null;
                waiting.values().forEach(f -> f.completeExceptionally(new IOException("sync link lost: " + reason)));
                applier.execute(() -> abortReception("link lost (" + reason + ")"));
            }

            @Override
            public void writable() {
            }
        });
        this.loop = link.eventLoop();
    }

    /** The config-sync link settings for a state-sync link: the next port, same key and addresses. */
    public static LinkSettings linkFor(LinkSettings stateLink) {
        if (stateLink.port() == 65535) {
            throw new IllegalArgumentException("sync port 65535 leaves no port for config sync (it uses port + 1)");
        }
        return new LinkSettings(stateLink.local(), stateLink.peer(), stateLink.port() + 1, stateLink.key(),
                stateLink.nodeId(), stateLink.redialMin(), stateLink.redialMax());
    }

    /** Opens the link; call from a thread in the node's network namespace. */
    public void start() throws InterruptedException {
        link.start();
        long tick = Math.max(200, settings.transferTimeout().toMillis() / 4);
        loop.scheduleAtFixedRate(this::checkIdle, tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- inbound ------------------------------------------------------------------------------

    private void received(List<SyncRecord> records) {
        for (SyncRecord r : records) {
            if (!(r instanceof SyncRecord.ConfigFragment f) || reassembler == null) {
                continue;
            }
            ConfigMessage m;
            try {
                m = reassembler.add(f);
            } catch (IllegalArgumentException e) {
                stats.malformed();
                log.warn("config sync: {}; closing the connection", e.getMessage());
                link.disconnect("malformed config-sync message");
                return;
            }
            if (m != null) {
                lastInbound = System.nanoTime();
                dispatch(m);
            }
        }
    }

    private void dispatch(ConfigMessage m) {
        switch (m) {
            case Begin b -> peerName = b.node();
            case Result r -> peerName = r.node();
            case Report r -> peerName = r.node();
            default -> { }
        }
        switch (m) {
            case Begin b -> applier.execute(() -> begin(b));
            case Chunk c -> applier.execute(() -> chunk(c));
            case End e -> applier.execute(() -> end(e));
            case Query q -> applier.execute(() -> send(report(q.tx())));
            case Accepted a -> complete(a);
            case Result r -> complete(r);
            case Report r -> complete(r);
        }
    }

    private void complete(ConfigMessage m) {
        CompletableFuture<ConfigMessage> f = waiting.get(m.tx());
        if (f != null) {
            f.complete(m);
        } else {
            log.debug("config sync: unexpected {} for transaction {}", m.getClass().getSimpleName(), m.tx());
        }
    }

    private void begin(Begin b) {
        abortReception("a new transfer from " + b.node() + " replaced it");
        switch (Reception.begin(b, settings.self(), byName, node.masterOf())) {
            case Reception.Start.Accept a -> {
                reception = a.reception();
                receiving = new Transfer(b.node(), 0, reception.bytesExpected());
                log.info("config sync: receiving {} from {} ({} sections, {} bytes)", b.mode() == ConfigMessage.Mode.DRY_RUN
                        ? "a dry run" : "configuration", b.node(), b.sections().size(), reception.bytesExpected());
                send(new Accepted(b.tx()));
            }
            case Reception.Start.Refuse r -> {
                log.warn("config sync: {} from {}", r.result().message(), b.node());
                Instant at = clock.instant();
                stats.received(b.mode() == ConfigMessage.Mode.DRY_RUN, ConfigSyncStats.Received.REFUSED, at);
                lastReceived = new Last(at, mode(b.mode()), b.node(), false, r.result().message());
                send(r.result());
            }
        }
    }

    private void chunk(Chunk c) {
        if (reception == null || reception.tx() != c.tx()) {
            return; // the transfer was abandoned; its sender hears so when it ends
        }
        String problem = reception.chunk(c);
        if (problem != null) {
            Result r = new Result(c.tx(), false, settings.self().node(), "transfer failed, nothing applied: " + problem, List.of());
            finishReception(r);
            return;
        }
        receiving = new Transfer(reception.from(), reception.bytesReceived(), reception.bytesExpected());
    }

    private void end(End e) {
        if (reception == null || reception.tx() != e.tx()) {
            send(new Result(e.tx(), false, settings.self().node(), "transfer was abandoned on "
                    + settings.self().node() + " (idle or interrupted); nothing applied", List.of()));
            return;
        }
        Result r = reception.end(settings.self(), settings.history(), clock.instant());
        finishReception(r);
    }

    private void finishReception(Result r) {
        Reception done = reception;
        reception = null;
        receiving = null;
        done.abort();
        Instant at = clock.instant();
        stats.received(done.mode() == ConfigMessage.Mode.DRY_RUN,
                r.ok() ? ConfigSyncStats.Received.OK : ConfigSyncStats.Received.FAILED, at);
        lastReceived = new Last(at, mode(done.mode()), done.from(), r.ok(), r.message());
        if (r.ok()) {
            log.info("config sync from {}: {}", done.from(), r.message());
        } else {
            log.warn("config sync from {}: {}", done.from(), r.message());
        }
        r.sections().forEach(s -> log.info("config sync from {}: section {}: {}{}", done.from(), s.name(), s.status(),
                s.detail().isEmpty() ? "" : " (" + s.detail() + ")"));
        send(r);
    }

    private void abortReception(String why) {
        if (reception == null) {
            return;
        }
        Reception r = reception;
        reception = null;
        receiving = null;
        r.abort();
        String msg = "transfer from " + r.from() + " abandoned: " + why + "; " + settings.self().node()
                + " stays on its previous configuration";
        log.warn("config sync: {}", msg);
        Instant at = clock.instant();
        stats.received(r.mode() == ConfigMessage.Mode.DRY_RUN, ConfigSyncStats.Received.ABANDONED, at);
        lastReceived = new Last(at, mode(r.mode()), r.from(), false, msg);
    }

    private void checkIdle() {
        long idle = System.nanoTime() - lastInbound;
        if (receiving != null && idle > settings.transferTimeout().toNanos()) {
            applier.execute(() -> {
                if (reception != null && System.nanoTime() - lastInbound > settings.transferTimeout().toNanos()) {
                    abortReception("no data for " + settings.transferTimeout().toSeconds() + " s");
                }
            });
        }
    }

    private Report report(long tx) {
        List<SectionHash> hashes = new ArrayList<>();
        for (LocalSection s : settings.sections()) {
            hashes.add(new SectionHash(s.name(), s.synced(), fileHash(s)));
        }
        Last l = lastReceived;
        return new Report(tx, settings.self().node(), settings.self().carpdVersion(), settings.self().schemaVersion(),
                hashes, l == null ? null : l.at() + " " + (l.ok() ? "ok" : "failed") + ": " + l.message());
    }

    private static String fileHash(LocalSection s) {
        try {
            return ContentHash.ofFile(s.path());
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    // ---- outbound -----------------------------------------------------------------------------

    /** Sends one message from any thread; false when the link is down. */
    private boolean send(ConfigMessage m) {
        List<SyncRecord> fragments = ConfigMessageCodec.fragments(m);
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        loop.execute(() -> {
            boolean ok = true;
            for (int i = 0; i < fragments.size() && ok; i += FRAGMENTS_PER_FRAME) {
                ok = link.send(++sendSeq, fragments.subList(i, Math.min(fragments.size(), i + FRAGMENTS_PER_FRAME)));
                if (!ok) {
                    sendSeq--;
                }
            }
            sent.complete(ok);
        });
        try {
            return sent.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public Outcome push(boolean dryRun, boolean force) {
        if (!pushing.tryLock()) {
            throw new ControlException(ControlException.Kind.CONFLICT, "a config push is already running");
        }
        String operation = dryRun ? "dry_run" : "push";
        try {
            List<String> notMaster = node.notMaster();
            if (!notMaster.isEmpty() && !force) {
                throw new ControlException(ControlException.Kind.CONFLICT, "refusing to push config from "
                        + settings.self().node() + ": it is not MASTER of every VHID (" + String.join(", ", notMaster)
                        + "); push from the MASTER, or use --force");
            }
            if (!up) {
                throw new ControlException(ControlException.Kind.CONFLICT, "config-sync link to " + peerAddress + " is down");
            }
            Outcome o = transfer(dryRun, force);
            Instant at = clock.instant();
            stats.sent(dryRun, o.ok(), at);
            lastSent = new Last(at, operation, o.node(), o.ok(), o.message());
            (o.ok() ? log.atInfo() : log.atWarn()).log("config {} to {}: {}", dryRun ? "dry run" : "push", o.node(), o.message());
            return o;
        } finally {
            pushing.unlock();
        }
    }

    private Outcome transfer(boolean dryRun, boolean force) {
        List<LocalSection> sending = settings.sections().stream().filter(LocalSection::send).toList();
        List<byte[]> contents = new ArrayList<>();
        List<Manifest> manifest = new ArrayList<>();
        for (LocalSection s : sending) {
            byte[] c;
            try {
                c = outgoing.read(s);
            } catch (IOException e) {
                throw new ControlException(ControlException.Kind.FAILED, "section " + s.name() + ": cannot read "
                        + s.path() + " on " + settings.self().node() + ": " + e.getMessage(), e);
            }
            contents.add(c);
            manifest.add(new Manifest(s.name(), c.length, ContentHash.of(c)));
        }
        String operation = dryRun ? "dry_run" : "push";
        long tx = random.nextLong();
        CompletableFuture<ConfigMessage> answer = new CompletableFuture<>();
        waiting.put(tx, answer);
        try {
            long epoch = connectionEpoch;
            NodeIdentity self = settings.self();
            if (!send(new Begin(tx, dryRun ? ConfigMessage.Mode.DRY_RUN : ConfigMessage.Mode.PUSH, self.node(),
                    self.carpdVersion(), self.schemaVersion(), force, manifest))) {
                return failed(operation, "config-sync link to " + peerAddress + " went down");
            }
            ConfigMessage first = answer.get(settings.transferTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (first instanceof Result r) {
                return outcome(operation, r);
            }
            CompletableFuture<ConfigMessage> result = new CompletableFuture<>();
            waiting.put(tx, result);
            String interrupted = sendChunks(tx, contents, epoch);
            if (interrupted != null) {
                return failed(operation, interrupted + "; the peer keeps its previous configuration");
            }
            send(new End(tx));
            Duration wait = settings.transferTimeout().plus(settings.commandTimeout().multipliedBy(2L * sending.size() + 2));
            return outcome(operation, (Result) result.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            dropConnection("no answer to a config transfer");
            return failed(operation, "the peer did not answer in time; it keeps its previous configuration unless it reports otherwise");
        } catch (ExecutionException e) {
            return failed(operation, e.getCause().getMessage() + "; the peer keeps its previous configuration");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(operation, "interrupted");
        } finally {
            waiting.remove(tx);
        }
    }

    /** Sends every chunk, paced by the rate limit and the link's buffer; returns why it stopped early, or null. */
    private String sendChunks(long tx, List<byte[]> contents, long epoch) throws InterruptedException {
        long started = System.nanoTime();
        long sentBytes = 0;
        for (int i = 0; i < contents.size(); i++) {
            byte[] c = contents.get(i);
            for (int off = 0; off < c.length; off += CHUNK_BYTES) {
                long blockedSince = System.nanoTime();
                while (up && connectionEpoch == epoch && !link.writable()) {
                    if (System.nanoTime() - blockedSince > settings.transferTimeout().toNanos()) {
                        dropConnection("the peer stopped reading");
                        return "the peer stopped reading for " + settings.transferTimeout().toSeconds() + " s";
                    }
                    Thread.sleep(5);
                }
                if (!up || connectionEpoch != epoch) {
                    return "sync link lost during the transfer";
                }
                byte[] data = Arrays.copyOfRange(c, off, Math.min(c.length, off + CHUNK_BYTES));
                if (!send(new Chunk(tx, i, off, data))) {
                    return "sync link lost during the transfer";
                }
                sentBytes += data.length;
                if (settings.rateLimitKibps() > 0) {
                    long dueNanos = sentBytes * 1_000_000_000L / (settings.rateLimitKibps() * 1024L);
                    long ahead = dueNanos - (System.nanoTime() - started);
                    if (ahead > 0) {
                        Thread.sleep(Duration.ofNanos(ahead));
                    }
                }
            }
        }
        return null;
    }

    /** A connection that stopped carrying data cannot be trusted; a fresh one (and session) follows. */
    private void dropConnection(String why) {
        loop.execute(() -> link.disconnect(why));
    }

    private Outcome outcome(String operation, Result r) {
        List<Section> sections = r.sections().stream()
                .map(s -> new Section(s.name(), s.status(), s.before(), s.after(), s.diff(), s.detail())).toList();
        return new Outcome(r.ok(), operation, r.node(), r.message(), sections);
    }

    private Outcome failed(String operation, String message) {
        return new Outcome(false, operation, peerName, message, List.of());
    }

    private static String mode(ConfigMessage.Mode m) {
        return m == ConfigMessage.Mode.DRY_RUN ? "dry_run" : "push";
    }

    // ---- local operations ---------------------------------------------------------------------

    @Override
    public Outcome rollback() {
        try {
            return applier.submit(this::rollbackNow).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ControlException.Kind.FAILED, "interrupted");
        } catch (ExecutionException e) {
            throw new ControlException(ControlException.Kind.FAILED, "rollback failed: " + e.getCause(), e.getCause());
        }
    }

    private Outcome rollbackNow() throws IOException {
        String self = settings.self().node();
        ConfigHistory.Entry entry = settings.history().newest();
        if (entry == null) {
            return new Outcome(false, "rollback", self, "no earlier version is kept on " + self, List.of());
        }
        List<SectionCommit.Candidate> candidates = new ArrayList<>();
        List<Section> skipped = new ArrayList<>();
        String tag = "rollback" + entry.id();
        try {
            for (var e : entry.previous().entrySet()) {
                LocalSection s = byName.get(e.getKey());
                if (s == null) {
                    skipped.add(new Section(e.getKey(), "skipped", "", "", "", "no longer configured on " + self));
                } else if (e.getValue() == null) {
                    skipped.add(new Section(e.getKey(), "skipped", "", "", "", "did not exist before; left in place"));
                } else {
                    var staged = DurableFiles.stagingPath(s.path(), tag);
                    DurableFiles.write(staged, e.getValue());
                    candidates.add(new SectionCommit.Candidate(s, staged, ContentHash.of(e.getValue())));
                }
            }
        } catch (IOException e) {
            candidates.forEach(c -> DurableFiles.deleteQuietly(c.staged()));
            throw e;
        }
        SectionCommit.Report r = SectionCommit.commit(candidates, null, "rollback", tag, clock.instant());
        if (r.ok()) {
            settings.history().drop(entry);
        }
        String message = (r.ok() ? "restored the version from before the sync of " + entry.at() + " (from " + entry.origin() + ")"
                : "rollback failed: " + r.message());
        List<Section> sections = new ArrayList<>(r.sections().stream()
                .map(s -> new Section(s.name(), s.status().equals("applied") ? "restored" : s.status(), s.before(), s.after(), "", s.detail()))
                .toList());
        sections.addAll(skipped);
        lastReceived = new Last(clock.instant(), "rollback", self, r.ok(), message);
        (r.ok() ? log.atInfo() : log.atWarn()).log("config sync: {}", message);
        return new Outcome(r.ok(), "rollback", self, message, sections);
    }

    @Override
    public Status status() {
        NodeIdentity self = settings.self();
        Report peer = null;
        if (up) {
            long tx = random.nextLong();
            CompletableFuture<ConfigMessage> f = new CompletableFuture<>();
            waiting.put(tx, f);
            try {
                if (send(new Query(tx))) {
                    peer = (Report) f.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | ClassCastException e) {
                peer = null;
            } finally {
                waiting.remove(tx);
            }
        }
        List<SectionHashes> sections = new ArrayList<>();
        for (LocalSection s : settings.sections()) {
            String local;
            try {
                local = s.send() ? ContentHash.of(outgoing.read(s)) : fileHash(s);
            } catch (IOException e) {
                local = "unreadable: " + e.getMessage();
            }
            String peerHash = null;
            if (peer != null) {
                peerHash = peer.sections().stream().filter(h -> h.name().equals(s.name())).map(SectionHash::sha256)
                        .findFirst().orElse("not configured");
            }
            sections.add(new SectionHashes(s.name(), s.synced(), local, peerHash));
        }
        int kept;
        try {
            kept = settings.history().entries().size();
        } catch (IOException e) {
            kept = -1;
        }
        Peer p = peer == null ? null : new Peer(peer.node(), peer.carpdVersion(), peer.schemaVersion(), peer.lastReceived());
        return new Status(self.node(), self.carpdVersion(), self.schemaVersion(), up, p, lastSent, lastReceived,
                receiving, sections, kept, stats.counters());
    }

    /**
     * Counters and last push times of this node; unlike {@link #status()} it never asks the peer or
     * touches files, so a metrics scrape may read it.
     */
    public ConfigSyncStats stats() {
        return stats;
    }

    /**
     * Pushes after a reload when {@code after_reload} is set. VHIDs a reload changed restart as
     * BACKUP and take a few advertisement intervals to win again, so this waits (up to
     * {@link #AFTER_RELOAD_WAIT}) for the node to be MASTER of all of them; a node that stays
     * BACKUP does not push.
     */
    @Override
    public void reloaded() {
        if (!settings.afterReload()) {
            return;
        }
        Thread.ofVirtual().name("config-sync-after-reload").start(() -> {
            long deadline = System.nanoTime() + AFTER_RELOAD_WAIT.toNanos();
            List<String> notMaster = node.notMaster();
            while (!notMaster.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                notMaster = node.notMaster();
            }
            if (!notMaster.isEmpty()) {
                log.info("config sync after reload skipped: not MASTER of every VHID ({})", String.join(", ", notMaster));
                return;
            }
            try {
                push(false, false);
            } catch (ControlException e) {
                log.warn("config sync after reload: {}", e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        link.close();
        applier.execute(() -> abortReception("carpd is stopping"));
        applier.shutdown();
        try {
            applier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
