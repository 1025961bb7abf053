package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code carpd status}: one line per VHID, like {@code ifconfig carp}, then node-wide state. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show every VHID (state, timers, addresses, last transition) and the node's demotion.",
                "Example line: lan vhid 2 MASTER advbase 1 advskew 0 192.0.2.254/24"})
public final class StatusCommand extends ControlVerb {

    @Option(names = "--json", description = "print the daemon's JSON snapshot")
    boolean json;

    @Override
    int run(ControlClient client) throws IOException {
        return show(client, "/api/v1/status", json, StatusCommand::print);
    }

    static void print(JsonNode s, PrintWriter out) {
        for (JsonNode v : s.path("vips")) {
            StringBuilder line = new StringBuilder()
                    .append(v.path("iface").asText()).append(" vhid ").append(v.path("vhid").asInt())
                    .append(' ').append(v.path("state").asText())
                    .append(" advbase ").append(v.path("advbase").asInt())
                    .append(" advskew ").append(v.path("advskew").asInt());
            if (v.path("advertised_skew").asInt() != v.path("advskew").asInt()) {
                line.append(" (advertising ").append(v.path("advertised_skew").asInt()).append(')');
            }
            for (JsonNode a : v.path("addresses")) line.append(' ').append(a.asText());
            out.println(line);
            JsonNode t = v.path("last_transition");
            if (t.isObject()) out.println("    " + transition(t));
        }
        out.println("demotion " + s.path("effective_demotion").asInt() + sources(s.path("demotion")));
        List<String> flags = new ArrayList<>();
        flags.add("maintenance " + (s.path("maintenance").asBoolean() ? "on" : "off"));
        flags.add(s.path("disabled").asBoolean() ? "disabled" : "enabled");
        out.println("node " + s.path("node").asText() + ": " + String.join(", ", flags));
        if (s.path("sync").isObject()) SyncCommand.print(s.path("sync"), out);
    }

    static String transition(JsonNode t) {
        return "last " + t.path("from").asText() + " -> " + t.path("to").asText() + " at " + t.path("at").asText()
                + " (" + t.path("reason").asText() + ")";
    }

    private static String sources(JsonNode demotion) {
        List<String> parts = new ArrayList<>();
        demotion.properties().forEach(group -> {
            List<String> srcs = new ArrayList<>();
            group.getValue().properties().forEach(src -> srcs.add(src.getKey() + " " + src.getValue().asInt()));
            if (!srcs.isEmpty()) parts.add(group.getKey() + ": " + String.join(", ", srcs));
        });
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }
}
