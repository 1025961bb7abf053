package io.carpd.cli.control;

import picocli.CommandLine.Command;

/** {@code carpd sync ...}: operations over the sync link. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Operations over the sync link to the peer.",
        subcommands = {ConfigSyncCommand.class})
public final class SyncCommand {
}
