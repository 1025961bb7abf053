package io.carpd.cli.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What a lab created, written to {@code lab.properties} before each namespace is created, so
 * {@code carpd lab down} (from any later process) can remove exactly that.
 */
public final class LabRecord {

    private final Path file;
    private final String prefix;
    private final LabProfile profile;
    private final DaemonKind daemon;
    private final List<String> namespaces;

    private LabRecord(Path file, String prefix, LabProfile profile, DaemonKind daemon, List<String> namespaces) {
        this.file = file;
        this.prefix = prefix;
        this.profile = profile;
        this.daemon = daemon;
        this.namespaces = new ArrayList<>(namespaces);
    }

    /** A new record for a lab about to be built; written at once. */
    public static LabRecord create(Path file, String prefix, LabProfile profile, DaemonKind daemon) {
        LabRecord r = new LabRecord(file, prefix, profile, daemon, List.of());
        r.save();
        return r;
    }

    /** Reads the record of an existing lab. */
    public static LabRecord read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new LabException("no lab recorded at " + file + " (" + e.getMessage() + ")", e);
        }
        try {
            LabProfile profile = new LabProfile(
                    Integer.parseInt(p.getProperty("advbase")),
                    Integer.parseInt(p.getProperty("fw1.advskew")),
                    Integer.parseInt(p.getProperty("fw2.advskew")),
                    p.getProperty("password"),
                    p.getProperty("fw2.password"),
                    Boolean.parseBoolean(p.getProperty("unicast_peers")),
                    Boolean.parseBoolean(p.getProperty("state_sync", "false")),
                    p.getProperty("sync_key", LabProfile.DEFAULT_SYNC_KEY),
                    p.getProperty("fw2.sync_key", LabProfile.DEFAULT_SYNC_KEY));
            String ns = p.getProperty("namespaces", "");
            List<String> names = ns.isBlank() ? List.of() : Arrays.asList(ns.split(","));
            DaemonKind daemon = DaemonKind.valueOf(p.getProperty("daemon", "CARPD"));
            return new LabRecord(file, p.getProperty("prefix"), profile, daemon, names);
        } catch (RuntimeException e) {
            throw new LabException(file + ": damaged lab record (" + e.getMessage() + ")", e);
        }
    }

    public String prefix() {
        return prefix;
    }

    public LabProfile profile() {
        return profile;
    }

    public DaemonKind daemon() {
        return daemon;
    }

    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Records a namespace before it is created. */
    public void addNamespace(String ns) {
        if (!namespaces.contains(ns)) {
            namespaces.add(ns);
            save();
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private void save() {
        Properties p = new Properties();
        p.setProperty("prefix", prefix);
        p.setProperty("advbase", Integer.toString(profile.advbase()));
        p.setProperty("fw1.advskew", Integer.toString(profile.fw1Advskew()));
        p.setProperty("fw2.advskew", Integer.toString(profile.fw2Advskew()));
        p.setProperty("password", profile.password());
        p.setProperty("fw2.password", profile.fw2Password());
        p.setProperty("unicast_peers", Boolean.toString(profile.unicastPeers()));
        p.setProperty("state_sync", Boolean.toString(profile.stateSync()));
        p.setProperty("sync_key", profile.syncKey());
        p.setProperty("fw2.sync_key", profile.fw2SyncKey());
        p.setProperty("daemon", daemon.name());
        p.setProperty("namespaces", String.join(",", namespaces));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "carpd lab: what this lab created; used by 'carpd lab down'");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
