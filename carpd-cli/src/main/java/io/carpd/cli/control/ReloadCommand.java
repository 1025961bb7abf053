package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code carpd reload}: prints what changed, or why nothing did. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the configuration; unchanged VHIDs keep their state. A bad file changes nothing.")
public final class ReloadCommand extends ControlVerb {
    @Override
    int run(ControlClient client) throws IOException {
        ControlClient.Response r = client.post("/api/v1/reload", "");
        if (r.status() == 422) {
            int code = fail(errorOf(r));
            PrintWriter err = spec.commandLine().getErr();
            JSON.readTree(r.body()).path("errors").forEach(e -> err.println("  " + e.asText()));
            err.flush();
            return code;
        }
        JsonNode result = expectOk(r);
        if (result == null) return FAILED;
        PrintWriter out = out();
        JsonNode changes = result.path("changes");
        if (changes.isEmpty()) out.println("reloaded: no changes");
        else changes.forEach(c -> out.println("reloaded: " + c.asText()));
        result.path("warnings").forEach(w -> out.println("warning: " + w.asText()));
        out.flush();
        return OK;
    }
}
