package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code carpd events [-n N] [--follow] [--json]}. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show the daemon's recent events (transitions, demotion, operator commands, reloads).")
public final class EventsCommand extends ControlVerb {

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "how many recent events (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = {"-f", "--follow"}, description = "keep printing new events until interrupted")
    boolean follow;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    int run(ControlClient client) throws IOException {
        PrintWriter out = out();
        if (follow) {
            ControlClient.Response r = client.stream("/api/v1/events?follow=1&n=" + count, line -> {
                print(line, out);
                out.flush();
            });
            return r.ok() ? OK : fail(errorOf(r));
        }
        JsonNode events = expectOk(client.get("/api/v1/events?n=" + count));
        if (events == null) return FAILED;
        for (JsonNode e : events) print(e.toString(), out);
        out.flush();
        return OK;
    }

    private void print(String line, PrintWriter out) {
        if (json) {
            out.println(line);
            return;
        }
        try {
            JsonNode e = JSON.readTree(line);
            out.println(e.path("at").asText() + " " + e.path("kind").asText() + ": " + e.path("message").asText());
        } catch (IOException ex) {
            out.println(line);
        }
    }
}
