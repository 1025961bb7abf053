package io.carpd.cli;

import io.carpd.core.config.ConfigException;
import io.carpd.core.config.ConfigLoader;
import io.carpd.core.config.ConfigProblem;
import io.carpd.core.config.InterfaceAddresses;
import io.carpd.core.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code carpd check-config}: validates a config file without touching the network. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file and print every problem as file:line:column: field: message.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no errors (warnings allowed)", "1:the file has errors", "2:usage error"})
public final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
    Path config = ConfigLoader.DEFAULT_PATH;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Interfaces absent on this machine (checking another node's file) just skip the subnet check.
        ConfigLoader loader = new ConfigLoader(InterfaceAddresses.fromJdk(), ConfigLoader::systemHostname);
        try {
            LoadedConfig loaded = loader.read(config);
            loaded.warnings().forEach(out::println);
            out.println(config + ": OK, " + plural(loaded.config().vhids().size(), "vhid")
                    + ", " + plural(loaded.warnings().size(), "warning"));
            out.flush();
            return 0;
        } catch (ConfigException e) {
            List<ConfigProblem> problems = e.getProblems();
            problems.forEach(out::println);
            long errors = problems.stream().filter(ConfigProblem::isError).count();
            out.println(config + ": " + plural(errors, "error") + ", " + plural(problems.size() - errors, "warning"));
            out.flush();
            return 1;
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
