package io.carpd.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Common plumbing of the verbs: find the socket, call, turn failures into one line and exit code 1. */
abstract class ControlVerb implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int OK = 0;
    static final int FAILED = 1;

    @Mixin
    SocketOptions socketOptions;

    @Spec
    CommandSpec spec;

    /** Performs the verb; returns the exit code. */
    abstract int run(ControlClient client) throws IOException;

    @Override
    public final Integer call() {
        try {
            return run(new ControlClient(socketOptions.socket()));
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    int fail(String reason) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + reason);
        spec.commandLine().getErr().flush();
        return FAILED;
    }

    /** The JSON body of a successful answer, or null after reporting the server's error. */
    JsonNode expectOk(ControlClient.Response r) {
        if (r.ok()) {
            try {
                return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
            } catch (IOException e) {
                fail("daemon sent invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
                return null;
            }
        }
        fail(errorOf(r));
        return null;
    }

    static String errorOf(ControlClient.Response r) {
        try {
            JsonNode e = JSON.readTree(r.body()).path("error");
            if (e.isTextual()) return e.textValue();
        } catch (IOException ignored) {
            // not JSON: fall through to the raw status
        }
        return "HTTP " + r.status() + (r.body().isBlank() ? "" : ": " + r.body().strip());
    }

    /** Posts a command and prints {@code done} on success. */
    int command(ControlClient client, String path, String body, String done) throws IOException {
        if (expectOk(client.post(path, body)) == null) return FAILED;
        out().println(done);
        out().flush();
        return OK;
    }

    /**
     * Read verbs: GETs {@code path} and prints the raw JSON with {@code --json}, else the text view
     * followed by the config-sync summary (printed only when config sync is configured).
     */
    int show(ControlClient client, String path, boolean json, BiConsumer<JsonNode, PrintWriter> text) throws IOException {
        ControlClient.Response r = client.get(path);
        JsonNode s = expectOk(r);
        if (s == null) return FAILED;
        PrintWriter out = out();
        if (json) {
            out.println(r.body());
        } else {
            text.accept(s, out);
            ConfigSyncCommand.printSummary(client, out);
        }
        out.flush();
        return OK;
    }
}
