package io.carpd.cli.lab;

import java.nio.file.Path;
import java.util.Arrays;

/** Where a lab keeps its record, configs, logs and each daemon's runtime and state directories. */
public record LabLayout(Path dir) {

    /** Parent of the default lab directories; never /run/carpd, so a real carpd is never touched. */
    public static final Path DEFAULT_ROOT = Path.of("/tmp/carpd-lab");

    /** The default directory of the lab with the given namespace prefix. */
    public static LabLayout forPrefix(String prefix) {
        String name = prefix.replaceAll("[-_]+$", "");
        return new LabLayout(DEFAULT_ROOT.resolve(name.isEmpty() ? prefix : name));
    }

    /** The lab's record of what it created (namespaces, profile). */
    public Path stateFile() {
        return dir.resolve("lab.properties");
    }

    public Path config(LabNode fw) {
        return dir.resolve(fw.label() + ".yaml");
    }

    public Path log(LabNode node) {
        return dir.resolve(node.label() + ".log");
    }

    /** Output of the n-th prober a lab run started. */
    public Path probeLog(int n) {
        return dir.resolve("client-probe-" + n + ".log");
    }

    /**
     * Logs a new lab writes to (appending, so a restarted daemon continues its log): removed when a
     * lab is created, so nothing read back comes from an earlier lab in the same directory.
     */
    public boolean isLog(Path file) {
        String name = file.getFileName().toString();
        return file.getParent().equals(dir)
                && (name.matches("client-probe-\\d+\\.log")
                || Arrays.stream(LabNode.values()).anyMatch(n -> name.equals(n.label() + ".log")));
    }

    public Path runtimeDir(LabNode fw) {
        return dir.resolve(fw.label()).resolve("run");
    }

    /** The control API socket the firewall's carpd listens on (set in its config). */
    public Path controlSocket(LabNode fw) {
        return runtimeDir(fw).resolve("carpd.sock");
    }

    public Path stateDir(LabNode fw) {
        return dir.resolve(fw.label()).resolve("state");
    }

    public Path syncKeyFile(LabNode fw) {
        return dir.resolve(fw.label()).resolve("sync.key");
    }

    public Path passwordFile(LabNode fw) {
        return dir.resolve(fw.label()).resolve("carp.pass");
    }
}
