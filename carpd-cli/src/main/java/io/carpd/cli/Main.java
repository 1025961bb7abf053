package io.carpd.cli;

import io.carpd.cli.lab.LabCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code carpd} command. Subcommands are added as they are built. */
@Command(name = "carpd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "CARP high-availability daemon for Linux firewalls.",
        subcommands = {
            RunCommand.class,
            io.carpd.cli.control.StatusCommand.class,
            io.carpd.cli.control.MaintenanceCommand.class,
            io.carpd.cli.control.DemoteCommand.class,
            io.carpd.cli.control.DisableCommand.class,
            io.carpd.cli.control.EnableCommand.class,
            io.carpd.cli.control.ReloadCommand.class,
            io.carpd.cli.control.EventsCommand.class,
            io.carpd.cli.control.SyncCommand.class,
            picocli.AutoComplete.GenerateCompletion.class,
            picocli.codegen.docgen.manpage.ManPageGenerator.class,
            CheckConfigCommand.class,
            LabCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"carpd " + number()};
        }

        /** The bare version ("0.1.0"), "dev" when not run from the packaged jar. */
        static String number() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
