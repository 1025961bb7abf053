package io.carpd.pfsync.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The versions a sync replaced, newest last: one directory per sync ({@code 000042/}) holding the
 * previous content of every section it changed and a {@code manifest.properties} (when, from whom,
 * which sections, and which of them did not exist). At most {@code keep} are retained.
 */
public final class ConfigHistory {
    private static final String MANIFEST = "manifest.properties";

    private final Path dir;
    private final int keep;

    public ConfigHistory(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * One kept version.
     *
     * @param previous section name → content before the sync, null where the file did not exist
     */
    public record Entry(long id, Instant at, String origin, Map<String, byte[]> previous) {}

    /** Records the current content of {@code sections} (name → path) before a sync replaces them. */
    public Entry save(String origin, Map<String, Path> sections, Instant now) throws IOException {
        Files.createDirectories(dir);
        long id = ids().stream().max(Long::compare).orElse(0L) + 1;
        Path d = dir.resolve(String.format("%06d", id));
        Path tmp = dir.resolve(".incoming-" + id);
        Files.createDirectories(tmp);
        Properties m = new Properties();
        m.setProperty("at", now.toString());
        m.setProperty("origin", origin);
        m.setProperty("sections", String.join(",", sections.keySet()));
        Map<String, byte[]> previous = new LinkedHashMap<>();
        for (var e : sections.entrySet()) {
            byte[] content = DurableFiles.readOrNull(e.getValue());
            previous.put(e.getKey(), content);
            if (content == null) {
                m.setProperty("absent." + e.getKey(), "true");
            } else {
                DurableFiles.write(tmp.resolve(e.getKey()), content);
            }
        }
        try (Writer w = Files.newBufferedWriter(tmp.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            m.store(w, "carpd config sync: versions replaced by one sync");
        }
        DurableFiles.fsync(tmp.resolve(MANIFEST));
        Files.move(tmp, d, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.fsyncDirectory(dir);
        return new Entry(id, now, origin, previous);
    }

    /** Kept versions, oldest first. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (long id : ids()) {
            out.add(read(id));
        }
        return out;
    }

    public Entry newest() throws IOException {
        List<Long> ids = ids();
        return ids.isEmpty() ? null : read(ids.getLast());
    }

    public void drop(Entry e) throws IOException {
        deleteTree(dir.resolve(String.format("%06d", e.id())));
    }

    /** Removes all but the newest {@code keep}. */
    public void prune() throws IOException {
        List<Long> ids = ids();
        for (int i = 0; i < ids.size() - keep; i++) {
            deleteTree(dir.resolve(String.format("%06d", ids.get(i))));
        }
    }

    private Entry read(long id) throws IOException {
        Path d = dir.resolve(String.format("%06d", id));
        Properties m = new Properties();
        try (Reader r = Files.newBufferedReader(d.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            m.load(r);
        }
        Map<String, byte[]> previous = new LinkedHashMap<>();
        String names = m.getProperty("sections", "");
        for (String name : names.isEmpty() ? new String[0] : names.split(",")) {
            previous.put(name, m.containsKey("absent." + name) ? null : Files.readAllBytes(d.resolve(name)));
        }
        return new Entry(id, Instant.parse(m.getProperty("at")), m.getProperty("origin", "?"), previous);
    }

    private List<Long> ids() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{6,}"))
                    .map(Long::parseLong).sorted().toList();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
