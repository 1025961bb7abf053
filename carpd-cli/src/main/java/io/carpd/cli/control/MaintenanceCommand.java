package io.carpd.cli.control;

import io.carpd.core.api.ControlClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code carpd maintenance on|off}. */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = "Persistent maintenance mode: 'on' demotes this node by 240 so the peer takes over; 'off' undoes it.")
public final class MaintenanceCommand extends ControlVerb {

    /** The two settings, spelled as the operator types them. */
    public enum Switch { on, off }

    @Parameters(index = "0", paramLabel = "on|off", description = "on or off")
    Switch setting;

    @Override
    int run(ControlClient client) throws IOException {
        boolean on = setting == Switch.on;
        return command(client, "/api/v1/maintenance", "{\"enabled\":" + on + "}", "maintenance " + setting);
    }
}
