package io.carpd.cli.control;

import io.carpd.core.api.ControlClient;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code carpd enable}. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Take part in CARP again after 'carpd disable'.")
public final class EnableCommand extends ControlVerb {
    @Override
    int run(ControlClient client) throws IOException {
        return command(client, "/api/v1/enable", "", "CARP enabled");
    }
}
