package io.carpd.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One reference lab (fw1 advskew 0, fw2 advskew 100, advbase 1) shared by the tests of a class,
 * with what the control tests need on top of the generated configs: per firewall a hook directory
 * holding two recording hooks, a recording hook configured under {@code commands} and a 2 s hook
 * timeout; on fw1 a TCP listener on its namespace's loopback with a token file, and its control
 * socket in a world-searchable temp directory. {@link #reset()} brings it back to "both daemons up,
 * nothing demoted, fw1 sole owner" between tests; if that fails the lab is rebuilt, so one broken
 * test does not take the rest of the class with it.
 */
final class SharedLab implements AutoCloseable {

    /** JVM start of two daemons on a busy two-core machine, plus one master-down interval. */
    static final Duration ELECTION = Duration.ofSeconds(40);
    static final int TCP_PORT = 8118;
    static final String TOKEN = "e2e-token-4f1c9a";
    static final int HOOK_TIMEOUT_S = 2;
    /** The hooks in every firewall's hook directory; they append one line per call to {@link #hookOutput}. */
    static final List<String> RECORDING_HOOKS = List.of("10-first", "20-second");
    /**
     * A recording hook configured under {@code hooks.commands}, outside the directory: it runs
     * before the directory's hooks although its name sorts after theirs.
     */
    static final String COMMAND_HOOK = "zz-command";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Lab lab;
    private Path socketDir;
    private final Map<LabNode, String> configs = new EnumMap<>(LabNode.class);

    private SharedLab() {}

    /** Builds the lab, starts both daemons and waits for fw1 to own both VIPs. */
    static SharedLab start() {
        SharedLab s = new SharedLab();
        s.build();
        return s;
    }

    private void build() {
        lab = LabFixture.create(LabProfile.reference());
        try {
            for (LabNode fw : firewalls()) {
                configure(fw);
            }
            lab.startDaemons();
            if (!lab.awaitSoleOwner(LabNode.FW1, ELECTION)) {
                throw new AssertionError("fw1 does not own both VIPs after the first election; " + lab.status().render());
            }
            for (LabNode fw : firewalls()) {
                awaitControl(fw, ELECTION);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void configure(LabNode fw) {
        LabLayout layout = lab.layout();
        try {
            Path hooks = hooksDir(fw);
            Files.createDirectories(hooks);
            // every CARPD_* variable; the reason last, as it has spaces
            String record = "echo \"$(basename \"$0\") $1 $2 event=$CARPD_EVENT vhid=$CARPD_VHID if=$CARPD_INTERFACE"
                    + " old=$CARPD_OLD_STATE new=$CARPD_NEW_STATE node=$CARPD_NODE role=$CARPD_NODE_ROLE"
                    + " vips=$CARPD_VIPS demotion=$CARPD_DEMOTION group=$CARPD_DEMOTION_GROUP reason=$CARPD_REASON\" >> "
                    + hookOutput(fw) + "\n";
            for (String name : RECORDING_HOOKS) {
                writeHook(hooks.resolve(name), record);
            }
            Path command = commandHook(fw);
            writeHook(command, record);
            String yaml = Files.readString(layout.config(fw));
            String socketLine = "  socket: " + layout.controlSocket(fw) + "\n";
            if (!yaml.endsWith("\n") || !yaml.endsWith("\napi:\n" + socketLine)) {
                throw new IllegalStateException("unexpected generated config " + layout.config(fw));
            }
            StringBuilder extra = new StringBuilder();
            if (fw == LabNode.FW1) {
                // fw1's socket in a directory everyone may search, wherever the build tree is, so
                // another user reaches the daemon's own check and not just a closed directory
                socketDir = Files.createTempDirectory("carpd-e2e-");
                Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
                yaml = yaml.replace(socketLine, "  socket: " + socketDir.resolve("fw1.sock") + "\n");
                Path token = tokenFile();
                Files.writeString(token, TOKEN, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
                // appended under the generated "api:" section, which ends the file
                extra.append("  tcp: { bind: 127.0.0.1, port: ").append(TCP_PORT).append(", token_file: ").append(token).append(" }\n");
            }
            extra.append("hooks: { dir: ").append(hooks).append(", timeout_s: ").append(HOOK_TIMEOUT_S)
                    .append(", commands: [").append(command).append("] }\n");
            Files.writeString(layout.config(fw), yaml + extra);
            configs.put(fw, yaml + extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Both daemons running and reachable, original configs, no maintenance / disable / operator
     * demotion, only the recording hooks, empty hook output, fw1 sole owner of both VIPs.
     */
    void reset() {
        try {
            restore();
        } catch (RuntimeException | Error e) {
            System.err.println("SharedLab: reset failed (" + e.getMessage() + "); rebuilding the lab");
            close();
            build();
        }
    }

    private void restore() {
        for (LabNode fw : firewalls()) {
            lab.topology().setFirewallLinks(fw, true);
            if (!lab.daemons().alive(fw)) {
                lab.daemons().start(fw);
            }
        }
        for (LabNode fw : firewalls()) {
            awaitControl(fw, ELECTION);
            try {
                if (!Files.readString(lab.layout().config(fw)).equals(configs.get(fw))) {
                    Files.writeString(lab.layout().config(fw), configs.get(fw));
                    expectOk(cli(fw, "reload"));
                }
                try (var hooks = Files.list(hooksDir(fw))) {
                    for (Path h : hooks.toList()) {
                        if (!RECORDING_HOOKS.contains(h.getFileName().toString())) {
                            Files.delete(h);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            expectOk(cli(fw, "maintenance", "off"));
            expectOk(cli(fw, "enable"));
            expectOk(cli(fw, "demote", "--reset"));
        }
        if (!lab.awaitSoleOwner(LabNode.FW1, Duration.ofSeconds(20))) {
            throw new AssertionError("fw1 does not own both VIPs again; " + lab.status().render());
        }
        awaitHooksQuiet();
        for (LabNode fw : firewalls()) {
            try {
                Files.deleteIfExists(hookOutput(fw));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Hooks of the transitions above run after them: wait until neither hook output grew for 600 ms. */
    private void awaitHooksQuiet() {
        long quietSince = System.nanoTime();
        long deadline = quietSince + Duration.ofSeconds(15).toNanos();
        List<Integer> last = List.of(hookLines(LabNode.FW1).size(), hookLines(LabNode.FW2).size());
        while (System.nanoTime() - quietSince < Duration.ofMillis(600).toNanos() && System.nanoTime() < deadline) {
            Namespaces.sleepMillis(100);
            List<Integer> now = List.of(hookLines(LabNode.FW1).size(), hookLines(LabNode.FW2).size());
            if (!now.equals(last)) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static void expectOk(CarpdCli.Outcome o) {
        if (o.exit() != 0) {
            throw new AssertionError("carpd verb failed: " + o);
        }
    }

    Lab lab() {
        return lab;
    }

    Topology topology() {
        return lab.topology();
    }

    /** {@code carpd args... -c <fw's config>} in this JVM. */
    CarpdCli.Outcome cli(LabNode fw, String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("-c");
        argv.add(lab.layout().config(fw).toString());
        return CarpdCli.run(argv.toArray(String[]::new));
    }

    Path socket(LabNode fw) {
        return fw == LabNode.FW1 ? socketDir.resolve("fw1.sock") : lab.layout().controlSocket(fw);
    }

    Path config(LabNode fw) {
        return lab.layout().config(fw);
    }

    Path hooksDir(LabNode fw) {
        return lab.layout().dir().resolve(fw.label()).resolve("hooks.d");
    }

    /** The lines the recording hooks appended (empty before any ran). */
    Path hookOutput(LabNode fw) {
        return lab.layout().dir().resolve(fw.label()).resolve("hooks.out");
    }

    List<String> hookLines(LabNode fw) {
        try {
            return Files.exists(hookOutput(fw)) ? Files.readAllLines(hookOutput(fw)) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path tokenFile() {
        return lab.layout().dir().resolve("fw1").resolve("api.token");
    }

    Path commandHook(LabNode fw) {
        return lab.layout().dir().resolve(fw.label()).resolve(COMMAND_HOOK);
    }

    /** Writes an executable {@code /bin/sh} hook into {@code fw}'s hook directory. */
    void writeHook(LabNode fw, String name, String body) {
        writeHook(hooksDir(fw).resolve(name), body);
    }

    private static void writeHook(Path hook, String body) {
        try {
            Files.writeString(hook, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code carpd status --json} of {@code fw}, parsed. */
    JsonNode status(LabNode fw) {
        CarpdCli.Outcome o = cli(fw, "status", "--json");
        if (o.exit() != 0) {
            throw new AssertionError("carpd status on " + fw.label() + " failed: " + o);
        }
        try {
            return JSON.readTree(o.out());
        } catch (IOException e) {
            throw new AssertionError("carpd status --json printed no JSON: " + o, e);
        }
    }

    /** VHID → CARP state name, as {@code fw}'s daemon reports it. */
    Map<Integer, String> states(LabNode fw) {
        Map<Integer, String> states = new LinkedHashMap<>();
        status(fw).path("vips").forEach(v -> states.put(v.path("vhid").asInt(), v.path("state").asText()));
        return states;
    }

    /** Whether every VHID of {@code fw} is in {@code state}. */
    boolean allIn(LabNode fw, String state) {
        Map<Integer, String> s = states(fw);
        return !s.isEmpty() && s.values().stream().allMatch(state::equals);
    }

    /** Waits until {@code fw}'s control socket answers a status request. */
    void awaitControl(LabNode fw, Duration timeout) {
        if (!Lab.await(() -> cli(fw, "status").exit() == 0, timeout, Duration.ofMillis(100))) {
            throw new AssertionError(fw.label() + "'s control socket does not answer after " + timeout.toSeconds()
                    + " s: " + cli(fw, "status") + "; log " + lab.layout().log(fw));
        }
    }

    /** Lines of {@code fw}'s daemon log matching {@code pattern}. */
    List<String> logLines(LabNode fw, Pattern pattern) {
        try {
            return Files.readAllLines(lab.layout().log(fw)).stream().filter(l -> pattern.matcher(l).find()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<LabNode> firewalls() {
        return List.of(LabNode.FW1, LabNode.FW2);
    }

    @Override
    public void close() {
        try {
            if (lab != null) {
                Lab l = lab;
                lab = null;
                l.close();
            }
        } finally {
            if (socketDir != null) {
                try (var left = Files.list(socketDir)) {
                    for (Path p : left.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(socketDir);
                } catch (IOException e) {
                    System.err.println("SharedLab: cannot remove " + socketDir + ": " + e);
                }
                socketDir = null;
            }
        }
    }
}
