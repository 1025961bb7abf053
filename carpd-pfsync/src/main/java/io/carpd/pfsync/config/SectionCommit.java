package io.carpd.pfsync.config;

import io.carpd.pfsync.config.ConfigMessage.SectionResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts staged sections into effect all together or not at all: validate every staged file, keep
 * the versions they replace, rename them into place, apply in order. Any failed validation leaves
 * every target untouched; a failed apply restores every file of the sync and re-runs the apply
 * steps that had already run, so the node ends on its previous configuration. Blocking (files,
 * commands); run it off any event loop.
 */
public final class SectionCommit {
    private SectionCommit() {
    }

    /** A section whose new content waits, fsynced, in {@code staged} beside its target. */
    public record Candidate(LocalSection section, Path staged, String newHash) {}

    public record Report(boolean ok, String message, List<SectionResult> sections) {}

    /**
     * @param history where the replaced versions go (null: not recorded, as for a rollback)
     * @param origin  who asked, for the history ("fw1", "rollback")
     * @param tag     unique per transaction, for restore temp files
     */
    public static Report commit(List<Candidate> candidates, ConfigHistory history, String origin, String tag, Instant now) {
        List<SectionResult> results = new ArrayList<>();
        Map<String, String> before = new LinkedHashMap<>();
        try {
            for (Candidate c : candidates) {
                before.put(c.section().name(), ContentHash.ofFile(c.section().path()));
            }
        } catch (IOException e) {
            discard(candidates);
            return failure("cannot read a current version: " + e.getMessage(), candidates, "not_applied", before);
        }

        List<String> invalid = new ArrayList<>();
        for (Candidate c : candidates) {
            Step.Outcome v = c.section().validate().run(c.staged());
            String b = before.get(c.section().name());
            if (v.ok()) {
                results.add(new SectionResult(c.section().name(), "not_applied", b, b, "", "valid"));
            } else {
                invalid.add(c.section().name());
                results.add(new SectionResult(c.section().name(), "invalid", b, b, "", v.detail()));
            }
        }
        if (!invalid.isEmpty()) {
            discard(candidates);
            return new Report(false, "validation failed for " + String.join(", ", invalid) + "; nothing was applied", results);
        }

        Map<String, byte[]> previous = new LinkedHashMap<>();
        ConfigHistory.Entry entry = null;
        try {
            if (history != null) {
                Map<String, Path> targets = new LinkedHashMap<>();
                candidates.forEach(c -> targets.put(c.section().name(), c.section().path()));
                entry = history.save(origin, targets, now);
                previous.putAll(entry.previous());
            } else {
                for (Candidate c : candidates) {
                    previous.put(c.section().name(), DurableFiles.readOrNull(c.section().path()));
                }
            }
        } catch (IOException e) {
            discard(candidates);
            return failure("cannot keep the previous versions: " + e.getMessage(), candidates, "not_applied", before);
        }

        List<Candidate> renamed = new ArrayList<>();
        try {
            for (Candidate c : candidates) {
                DurableFiles.rename(c.staged(), c.section().path());
                renamed.add(c);
            }
        } catch (IOException e) {
            discard(candidates);
            String restoreProblem = restore(renamed, previous, tag);
            dropQuietly(history, entry);
            return failure("cannot move a staged file into place: " + e.getMessage() + restoreProblem, candidates,
                    "restored", before);
        }

        for (int k = 0; k < candidates.size(); k++) {
            Candidate c = candidates.get(k);
            Step.Outcome a = c.section().apply().run(c.section().path());
            if (!a.ok()) {
                String restoreProblem = restore(candidates, previous, tag);
                List<String> reapplied = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    LocalSection s = candidates.get(j).section();
                    Step.Outcome r = s.apply().run(s.path());
                    reapplied.add(s.name() + (r.ok() ? "" : " (re-apply failed: " + r.detail() + ")"));
                }
                dropQuietly(history, entry);
                List<SectionResult> out = new ArrayList<>();
                for (int j = 0; j < candidates.size(); j++) {
                    String name = candidates.get(j).section().name();
                    String b = before.get(name);
                    out.add(j == k ? new SectionResult(name, "failed", b, b, "", a.detail())
                            : new SectionResult(name, "restored", b, b, "", j < k ? "applied, then restored and re-applied" : "restored before apply"));
                }
                return new Report(false, "apply of " + c.section().name() + " failed; every file of this sync was restored"
                        + (reapplied.isEmpty() ? "" : " and " + String.join(", ", reapplied) + " re-applied")
                        + restoreProblem + ": " + a.detail(), out);
            }
        }
        List<SectionResult> out = new ArrayList<>();
        for (Candidate c : candidates) {
            out.add(new SectionResult(c.section().name(), "applied", before.get(c.section().name()), c.newHash(), "", ""));
        }
        try {
            if (history != null) {
                history.prune();
            }
        } catch (IOException e) {
            return new Report(true, "applied (pruning old versions failed: " + e.getMessage() + ")", out);
        }
        return new Report(true, "applied", out);
    }

    /** Restores every target to its previous content; returns "" or a note on what could not be. */
    private static String restore(List<Candidate> candidates, Map<String, byte[]> previous, String tag) {
        List<String> failed = new ArrayList<>();
        for (Candidate c : candidates) {
            try {
                DurableFiles.replace(c.section().path(), previous.get(c.section().name()), tag + "-restore");
            } catch (IOException e) {
                failed.add(c.section().name() + ": " + e.getMessage());
            }
        }
        return failed.isEmpty() ? "" : " (RESTORE FAILED for " + String.join("; ", failed) + ")";
    }

    private static void discard(List<Candidate> candidates) {
        candidates.forEach(c -> DurableFiles.deleteQuietly(c.staged()));
    }

    private static void dropQuietly(ConfigHistory history, ConfigHistory.Entry entry) {
        if (history != null && entry != null) {
            try {
                history.drop(entry);
            } catch (IOException ignored) {
                // an extra kept version only lengthens the rollback list
            }
        }
    }

    private static Report failure(String message, List<Candidate> candidates, String status, Map<String, String> before) {
        List<SectionResult> out = new ArrayList<>();
        for (Candidate c : candidates) {
            String b = before.get(c.section().name());
            out.add(new SectionResult(c.section().name(), status, b, b, "", ""));
        }
        return new Report(false, message, out);
    }
}
