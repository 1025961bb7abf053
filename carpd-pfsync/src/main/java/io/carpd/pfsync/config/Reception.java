package io.carpd.pfsync.config;

import io.carpd.pfsync.config.ConfigMessage.Begin;
import io.carpd.pfsync.config.ConfigMessage.Chunk;
import io.carpd.pfsync.config.ConfigMessage.Manifest;
import io.carpd.pfsync.config.ConfigMessage.Result;
import io.carpd.pfsync.config.ConfigMessage.SectionResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The receiving side of one transfer: checks the offer, streams chunks into staging files beside
 * their targets, and on {@link ConfigMessage.End} verifies sizes and hashes, then diffs (dry run)
 * or commits. Until then no target is touched, so a transfer that never completes leaves the node
 * on its old configuration ({@link #abort} removes the staging files). Blocking; not thread-safe.
 */
public final class Reception {
    /** Largest section accepted. */
    public static final long MAX_SECTION_BYTES = 256L << 20;

    private final Begin begin;
    private final List<LocalSection> sections = new ArrayList<>();
    private final List<Path> staged = new ArrayList<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private final long[] received;

    private Reception(Begin begin) {
        this.begin = begin;
        this.received = new long[begin.sections().size()];
    }

    /** Either a reception under way (send Accepted) or a refusal to send back. */
    public sealed interface Start {
        record Accept(Reception reception) implements Start {}

        record Refuse(Result result) implements Start {}
    }

    /**
     * Checks an offer against this node's versions, sections and role, and opens its staging files.
     *
     * @param masterOf the VHIDs this node is MASTER of ("vhid 1 on wan"); a push into an active
     *                 node (split brain, or a stale sender) is refused unless the sender forced it
     */
    public static Start begin(Begin b, NodeIdentity self, Map<String, LocalSection> local, List<String> masterOf) {
        String mismatch = self.mismatch(new NodeIdentity(b.node(), b.carpdVersion(), b.schemaVersion()));
        if (mismatch != null) {
            return refuse(b, self, mismatch);
        }
        if (!masterOf.isEmpty() && !b.force() && b.mode() == ConfigMessage.Mode.PUSH) {
            return refuse(b, self, self.node() + " is MASTER too (" + String.join(", ", masterOf)
                    + "); a push now could overwrite the active node's configuration (split brain?). "
                    + "Resolve the election first, or push with --force");
        }
        Set<String> seen = new HashSet<>();
        for (Manifest m : b.sections()) {
            LocalSection s = local.get(m.name());
            String problem = s == null ? "section '" + m.name() + "' is not configured on " + self.node()
                    : !s.synced() ? "section '" + m.name() + "' is marked sync: false on " + self.node()
                    : !s.receive() ? "section '" + m.name() + "' is sent, not received, by " + self.node()
                    : !seen.add(m.name()) ? "section '" + m.name() + "' offered twice"
                    : m.size() < 0 || m.size() > MAX_SECTION_BYTES ? "section '" + m.name() + "' of " + m.size()
                            + " bytes exceeds " + MAX_SECTION_BYTES
                    : !Files.isDirectory(s.path().toAbsolutePath().getParent()) ? "directory "
                            + s.path().toAbsolutePath().getParent() + " of section '" + m.name() + "' does not exist on " + self.node()
                    : null;
            if (problem != null) {
                return refuse(b, self, problem);
            }
        }
        Reception r = new Reception(b);
        try {
            for (Manifest m : b.sections()) {
                LocalSection s = local.get(m.name());
                Path p = DurableFiles.stagingPath(s.path(), "tx" + Long.toUnsignedString(b.tx()));
                r.sections.add(s);
                r.staged.add(p);
                r.channels.add(FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
            }
        } catch (IOException e) {
            r.abort();
            return refuse(b, self, "cannot create a staging file: " + e.getMessage());
        }
        return new Start.Accept(r);
    }

    private static Start refuse(Begin b, NodeIdentity self, String why) {
        return new Start.Refuse(new Result(b.tx(), false, self.node(), "refused: " + why, List.of()));
    }

    public long tx() {
        return begin.tx();
    }

    public String from() {
        return begin.node();
    }

    public ConfigMessage.Mode mode() {
        return begin.mode();
    }

    public long bytesReceived() {
        long n = 0;
        for (long r : received) {
            n += r;
        }
        return n;
    }

    public long bytesExpected() {
        return begin.sections().stream().mapToLong(Manifest::size).sum();
    }

    /** Writes one chunk; returns an error text (the transfer is then dead) or null. */
    public String chunk(Chunk c) {
        if (c.section() < 0 || c.section() >= received.length) {
            return "chunk for section " + c.section() + " of " + received.length;
        }
        Manifest m = begin.sections().get(c.section());
        if (c.offset() != received[c.section()] || c.offset() + c.data().length > m.size()) {
            return "chunk of " + m.name() + " at " + c.offset() + " (+" + c.data().length + "), expected "
                    + received[c.section()] + " of " + m.size();
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(c.data());
            while (b.hasRemaining()) {
                channels.get(c.section()).write(b);
            }
        } catch (IOException e) {
            return "cannot write staging file " + staged.get(c.section()) + ": " + e.getMessage();
        }
        received[c.section()] += c.data().length;
        return null;
    }

    /**
     * The transfer is complete: verify, then compare (dry run) or commit (push). Always leaves
     * no staging file behind.
     */
    public Result end(NodeIdentity self, ConfigHistory history, Instant now) {
        try {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < received.length; i++) {
                Manifest m = begin.sections().get(i);
                channels.get(i).force(true);
                channels.get(i).close();
                String hash = ContentHash.ofFile(staged.get(i));
                if (received[i] != m.size()) {
                    problems.add(m.name() + ": " + received[i] + " of " + m.size() + " bytes");
                } else if (!hash.equals(m.sha256())) {
                    problems.add(m.name() + ": content hash differs from the offer");
                }
            }
            if (!problems.isEmpty()) {
                abort();
                return new Result(tx(), false, self.node(), "incomplete transfer, nothing applied: " + String.join("; ", problems), List.of());
            }
            return begin.mode() == ConfigMessage.Mode.DRY_RUN ? compare(self) : commit(self, history, now);
        } catch (IOException e) {
            abort();
            return new Result(tx(), false, self.node(), "staging failed, nothing applied: " + e.getMessage(), List.of());
        }
    }

    private Result compare(NodeIdentity self) throws IOException {
        List<SectionResult> out = new ArrayList<>();
        int changed = 0;
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            LocalSection s = sections.get(i);
            byte[] current = DurableFiles.readOrNull(s.path());
            byte[] proposed = Files.readAllBytes(staged.get(i));
            String before = current == null ? ContentHash.ABSENT : ContentHash.of(current);
            String after = begin.sections().get(i).sha256();
            if (before.equals(after)) {
                out.add(new SectionResult(s.name(), "unchanged", before, before, "", ""));
                continue;
            }
            changed++;
            String diff = UnifiedDiff.of(self.node() + ":" + s.path(), current == null ? new byte[0] : current,
                    begin.node() + ":" + s.name(), proposed);
            Step.Outcome v = s.validate().run(staged.get(i));
            if (!v.ok()) {
                invalid.add(s.name());
            }
            out.add(new SectionResult(s.name(), v.ok() ? "changed" : "invalid", before, after, diff, v.ok() ? "" : v.detail()));
        }
        abort();
        String msg = "dry run: " + changed + " of " + sections.size() + " sections differ"
                + (invalid.isEmpty() ? "" : "; validation fails for " + String.join(", ", invalid)) + "; nothing was changed";
        return new Result(tx(), invalid.isEmpty(), self.node(), msg, out);
    }

    private Result commit(NodeIdentity self, ConfigHistory history, Instant now) throws IOException {
        List<SectionCommit.Candidate> candidates = new ArrayList<>();
        SectionResult[] slots = new SectionResult[sections.size()];
        String[] diffs = new String[sections.size()];
        for (int i = 0; i < sections.size(); i++) {
            LocalSection s = sections.get(i);
            byte[] current = DurableFiles.readOrNull(s.path());
            String before = current == null ? ContentHash.ABSENT : ContentHash.of(current);
            String after = begin.sections().get(i).sha256();
            if (before.equals(after)) {
                DurableFiles.deleteQuietly(staged.get(i));
                slots[i] = new SectionResult(s.name(), "unchanged", before, before, "", "");
            } else {
                diffs[i] = UnifiedDiff.of(self.node() + ":" + s.path(), current == null ? new byte[0] : current,
                        begin.node() + ":" + s.name(), Files.readAllBytes(staged.get(i)));
                candidates.add(new SectionCommit.Candidate(s, staged.get(i), after));
            }
        }
        if (candidates.isEmpty()) {
            return new Result(tx(), true, self.node(), "already in sync; nothing to apply", List.of(slots));
        }
        SectionCommit.Report report = SectionCommit.commit(candidates, history, begin.node(),
                "tx" + Long.toUnsignedString(tx()), now);
        for (SectionResult r : report.sections()) {
            for (int i = 0; i < sections.size(); i++) {
                if (sections.get(i).name().equals(r.name())) {
                    slots[i] = new SectionResult(r.name(), r.status(), r.before(), r.after(), diffs[i], r.detail());
                }
            }
        }
        return new Result(tx(), report.ok(), self.node(), report.message(), List.of(slots));
    }

    /** Drops the transfer: staging files removed, no target touched. Idempotent. */
    public void abort() {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a staging file we are about to delete
            }
        }
        staged.forEach(DurableFiles::deleteQuietly);
    }
}
