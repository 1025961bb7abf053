package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code carpd sync status|resync|config}: operations over the sync link to the peer (carpd-pfsync). */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Operations over the sync link to the peer firewall: show it, force a full state resync, "
                + "push configuration.",
        subcommands = {SyncCommand.Status.class, SyncCommand.Resync.class, ConfigSyncCommand.class})
public final class SyncCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code carpd sync status [--json]}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the state sync link: peer, protocol version, states (local / from the peer), lag,",
                    "last bulk transfers, frame and byte counters, frames dropped by reason;",
                    "then, when configured, config sync's last syncs and per-section hashes",
                    "(details: carpd sync config --status)."})
    public static final class Status extends ControlVerb {
        @Option(names = "--json", description = "print the daemon's JSON snapshot of state sync")
        boolean json;

        @Override
        int run(ControlClient client) throws IOException {
            // config sync runs over the sync link: no sync section, neither exists
            return show(client, "/api/v1/sync", json, SyncCommand::print);
        }
    }

    /** {@code carpd sync resync}. */
    @Command(name = "resync", mixinStandardHelpOptions = true,
            description = {"Force a full resync: request the peer's whole state table (states it no longer has",
                    "are removed when the transfer ends) and send ours. Fails while the sync link is down."})
    public static final class Resync extends ControlVerb {
        @Override
        int run(ControlClient client) throws IOException {
            return command(client, "/api/v1/sync/resync", "", "resync requested");
        }
    }

    /** The human form of a sync snapshot; also used by {@code carpd status}. */
    static void print(JsonNode s, PrintWriter out) {
        if (s.has("error")) {
            out.println("sync: " + s.path("error").asText());
            return;
        }
        StringBuilder head = new StringBuilder("sync ").append(s.path("link").asText())
                .append(" with ").append(s.path("peer").asText()).append(" port ").append(s.path("port").asInt())
                .append(" on ").append(s.path("iface").asText());
        if (s.path("protocol_version").asInt() > 0) {
            head.append(" (node ").append(Integer.toUnsignedString(s.path("peer_node_id").asInt()))
                    .append(", protocol ").append(s.path("protocol_version").asInt()).append(')');
        }
        if (!s.path("sync_complete").asBoolean()) head.append(", start-up sync not complete (demoted)");
        out.println(head);
        for (JsonNode b : s.path("split_brain")) {
            out.println("  SPLIT BRAIN: " + b.path("iface").asText() + " vhid " + b.path("vhid").asInt()
                    + " is MASTER on both nodes for " + seconds(b.path("seconds").asDouble()));
        }
        JsonNode rtt = s.path("rtt_seconds");
        out.println("  states local " + s.path("local_states").asInt() + ", peer " + s.path("peer_states").asInt()
                + "; queued " + s.path("queued_changes").asInt() + ", unacked frames " + s.path("unacked_frames").asLong()
                + ", lag " + seconds(s.path("lag_seconds").asDouble())
                + ", rtt " + (rtt.isNumber() ? String.format(Locale.ROOT, "%.1f ms", rtt.asDouble() * 1000) : "-"));
        out.println("  last bulk received " + bulk(s.path("last_bulk_received"))
                + "; sent " + bulk(s.path("last_bulk_sent")));
        out.println("  frames sent " + s.path("sent").path("frames").asLong() + " (" + s.path("sent").path("bytes").asLong()
                + " bytes), received " + s.path("received").path("frames").asLong() + " ("
                + s.path("received").path("bytes").asLong() + " bytes)");
        List<String> drops = new ArrayList<>();
        s.path("drops").properties().forEach(d -> {
            if (d.getValue().asLong() != 0) drops.add(d.getKey() + " " + d.getValue().asLong());
        });
        out.println("  dropped frames: " + (drops.isEmpty() ? "none" : String.join(", ", drops)));
        List<String> counters = new ArrayList<>();
        s.path("counters").properties().forEach(c -> counters.add(c.getKey() + " " + c.getValue().asLong()));
        out.println("  counters: " + String.join(", ", counters));
    }

    private static String bulk(JsonNode b) {
        if (!b.isObject()) return "never";
        return b.path("states").asLong() + " states in " + seconds(b.path("duration_seconds").asDouble())
                + " at " + b.path("ended_at").asText();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }
}
