package io.carpd.cli.control;

import io.carpd.core.api.ControlClient;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code carpd disable}. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Stop taking part in CARP: release every VIP and stay silent until 'carpd enable' (persistent).")
public final class DisableCommand extends ControlVerb {
    @Override
    int run(ControlClient client) throws IOException {
        return command(client, "/api/v1/disable", "", "CARP disabled");
    }
}
