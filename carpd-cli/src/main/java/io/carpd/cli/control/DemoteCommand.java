package io.carpd.cli.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpd.core.api.ControlClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code carpd demote N [--group G]} or {@code carpd demote --reset [--group G]}. */
@Command(name = "demote", mixinStandardHelpOptions = true,
        description = "Set the operator's demotion of a group (added to the advertised skew of its VHIDs), or clear it.")
public final class DemoteCommand extends ControlVerb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "demotion 0..255 (0 clears)")
    Integer value;

    @Option(names = {"-g", "--group"}, paramLabel = "G", defaultValue = "carp", description = "demotion group (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--reset", description = "clear the operator's demotion of the group")
    boolean reset;

    @Override
    int run(ControlClient client) throws IOException {
        if (reset == (value != null)) throw new ParameterException(spec.commandLine(), "give either N or --reset");
        if (value != null && (value < 0 || value > 255)) {
            throw new ParameterException(spec.commandLine(), "N must be 0..255, got " + value);
        }
        ObjectNode body = JSON.createObjectNode().put("group", group);
        if (reset) body.put("reset", true);
        else body.put("value", value);
        String done = reset || value == 0 ? "demotion of " + group + " cleared" : "demotion of " + group + " set to " + value;
        return command(client, "/api/v1/demote", body.toString(), done);
    }
}
