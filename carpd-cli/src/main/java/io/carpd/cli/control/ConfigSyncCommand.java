package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code carpd sync config}: push this node's synced sections to the peer, preview, roll back, or show status. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Push the sections of config_sync to the peer (run it on the MASTER). The peer stages, "
                + "validates and applies all sections or none; a failure restores its previous files.",
                "--dry-run shows a unified diff per section against the peer and changes nothing; "
                        + "--rollback restores, on this node, the versions the last received sync replaced; "
                        + "--status shows versions, last syncs and per-section hashes on both nodes."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (or in sync)", "1:refused or failed (the reason is printed)", "2:usage error"})
public final class ConfigSyncCommand extends ControlVerb {

    static final String PATH = "/api/v1/config-sync";

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--dry-run", description = "show what would change on the peer; change nothing")
        boolean dryRun;

        @Option(names = "--rollback", description = "restore the previous version on this node")
        boolean rollback;

        @Option(names = "--status", description = "show config-sync status of both nodes")
        boolean status;
    }

    @Option(names = "--force", description = "push even though this node is not MASTER of every VHID")
    boolean force;

    @Option(names = "--json", description = "print the daemon's JSON answer")
    boolean json;

    @Override
    int run(ControlClient client) throws IOException {
        if (mode.status) {
            ControlClient.Response r = client.get(PATH);
            JsonNode s = expectOk(r);
            if (s == null) return FAILED;
            if (json) out().println(r.body());
            else printStatus(s, out());
            out().flush();
            return OK;
        }
        if (force && mode.rollback) return fail("--force applies to pushes, not to --rollback");
        String body = mode.rollback ? "{\"rollback\":true}"
                : "{\"dry_run\":" + mode.dryRun + ",\"force\":" + force + "}";
        ControlClient.Response r = client.post(PATH, body);
        if (r.status() != 200 && r.status() != 422) {
            return fail(errorOf(r));
        }
        JsonNode o = JSON.readTree(r.body());
        if (json) {
            out().println(r.body());
            out().flush();
            return o.path("ok").asBoolean() ? OK : FAILED;
        }
        PrintWriter w = o.path("ok").asBoolean() ? out() : spec.commandLine().getErr();
        printOutcome(o, w);
        w.flush();
        return o.path("ok").asBoolean() ? OK : FAILED;
    }

    static void printOutcome(JsonNode o, PrintWriter w) {
        String op = o.path("operation").asText().replace('_', ' ');
        w.println("config " + op + (op.equals("rollback") ? " on " : " to ") + o.path("node").asText() + ": "
                + (o.path("ok").asBoolean() ? "" : "FAILED: ") + o.path("message").asText());
        for (JsonNode s : o.path("sections")) {
            StringBuilder line = new StringBuilder("  ").append(s.path("name").asText()).append(": ").append(s.path("status").asText());
            String before = s.path("before").asText(), after = s.path("after").asText();
            if (!before.isEmpty() && !before.equals(after)) line.append(" (").append(shortHash(before)).append(" -> ").append(shortHash(after)).append(')');
            if (!s.path("detail").asText().isEmpty()) line.append(": ").append(s.path("detail").asText());
            w.println(line);
            String diff = s.path("diff").asText();
            if (!diff.isEmpty() && op.equals("dry run")) {
                diff.lines().forEach(l -> w.println("    " + l));
            }
        }
    }

    static void printStatus(JsonNode s, PrintWriter w) {
        w.println("config sync on " + s.path("node").asText() + " (carpd " + s.path("carpd_version").asText()
                + ", config schema " + s.path("schema_version").asInt() + "): link " + (s.path("link_up").asBoolean() ? "up" : "down"));
        JsonNode p = s.path("peer");
        if (p.isObject()) {
            w.println("peer " + p.path("node").asText() + " (carpd " + p.path("carpd_version").asText() + ", config schema "
                    + p.path("schema_version").asInt() + ")" + (p.path("last_received").isTextual()
                    ? "; last received: " + p.path("last_received").asText() : ""));
        } else {
            w.println("peer: no answer");
        }
        w.println("last sent: " + last(s.path("last_sent")));
        w.println("last received: " + last(s.path("last_received")));
        JsonNode rx = s.path("receiving");
        if (rx.isObject()) {
            w.println("receiving from " + rx.path("from").asText() + ": " + rx.path("bytes_received").asLong() + " of "
                    + rx.path("bytes_expected").asLong() + " bytes");
        }
        w.println("kept versions: " + s.path("kept_versions").asInt());
        JsonNode c = s.path("counters");
        w.println("counters: pushes ok " + c.path("pushes_ok").asLong() + ", failed " + c.path("pushes_failed").asLong()
                + "; received ok " + c.path("received_ok").asLong() + ", refused " + c.path("received_refused").asLong()
                + ", failed " + c.path("received_failed").asLong() + ", abandoned " + c.path("abandoned").asLong()
                + "; malformed messages " + c.path("malformed_messages").asLong());
        w.println(String.format("%-16s %-6s %-14s %-14s", "section", "synced", "here", "peer"));
        for (JsonNode sec : s.path("sections")) {
            String here = sec.path("local").asText();
            String peer = sec.path("peer").isTextual() ? sec.path("peer").asText() : "-";
            String verdict = !sec.path("synced").asBoolean() ? "local only" : peer.equals("-") ? "" : peer.equals(here) ? "in sync" : "DIFFERS";
            w.println(String.format("%-16s %-6s %-14s %-14s %s", sec.path("name").asText(), sec.path("synced").asBoolean() ? "yes" : "no",
                    shortHash(here), shortHash(peer), verdict).stripTrailing());
        }
    }

    /**
     * One line with the last syncs and one per section with both nodes' hashes, for {@code carpd status}
     * and {@code carpd sync status}; prints nothing when config sync is not configured.
     */
    static void printSummary(ControlClient client, PrintWriter out) throws IOException {
        ControlClient.Response r = client.get(PATH);
        if (!r.ok()) return; // 404: not configured
        JsonNode s = JSON.readTree(r.body());
        out.println("config sync: link " + (s.path("link_up").asBoolean() ? "up" : "down")
                + "; last sent: " + last(s.path("last_sent"))
                + "; last received: " + last(s.path("last_received")));
        for (JsonNode sec : s.path("sections")) {
            String peer = sec.path("peer").isTextual() ? sec.path("peer").asText() : "-";
            out.println("    " + sec.path("name").asText() + (sec.path("synced").asBoolean() ? "" : " (local only)")
                    + " here " + shortHash(sec.path("local").asText()) + " peer " + shortHash(peer));
        }
    }

    static String last(JsonNode l) {
        if (!l.isObject()) return "none";
        return l.path("at").asText() + " " + l.path("operation").asText().replace('_', ' ') + " "
                + l.path("peer").asText() + ": " + (l.path("ok").asBoolean() ? "ok" : "FAILED") + ": " + l.path("message").asText();
    }

    static String shortHash(String h) {
        return h.length() > 12 && h.matches("[0-9a-f]+") ? h.substring(0, 12) : h;
    }
}
