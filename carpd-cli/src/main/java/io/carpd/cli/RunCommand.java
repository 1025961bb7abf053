package io.carpd.cli;

import ch.qos.logback.classic.Level;
import io.carpd.core.api.ApiExtensions;
import io.carpd.core.api.ControlServer;
import io.carpd.core.api.ControlServerSettings;
import io.carpd.core.config.ApiConfig;
import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.ConfigException;
import io.carpd.core.config.ConfigLoader;
import io.carpd.core.config.ConfigProblem;
import io.carpd.core.config.LoadedConfig;
import io.carpd.core.metrics.CarpdMetrics;
import io.carpd.core.runtime.Daemon;
import io.carpd.pfsync.config.ConfigSync;
import io.carpd.pfsync.config.ConfigSyncMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code carpd run}: the daemon in the foreground until SIGTERM / SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the daemon in the foreground (systemd: Type=simple). SIGTERM or SIGINT stops it "
                + "gracefully (bow-out advertisements, VIPs removed); SIGHUP reloads the configuration.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped gracefully", "1:bad configuration or the daemon could not start", "2:usage error"})
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
    Path config = ConfigLoader.DEFAULT_PATH;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info (default), debug or trace")
    String logLevel;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (logLevel != null) {
            Level level = Level.toLevel(logLevel, null);
            if (level == null) {
                err.println("carpd run: --log-level: '" + logLevel + "' is not one of error, warn, info, debug, trace");
                err.flush();
                return 2;
            }
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(level);
        }

        CarpdConfig cfg;
        try {
            LoadedConfig loaded = ConfigLoader.standard().read(config);
            loaded.warnings().forEach(w -> log.warn("{}", w));
            cfg = loaded.config();
        } catch (ConfigException e) {
            e.getProblems().forEach(err::println);
            long errors = e.getProblems().stream().filter(ConfigProblem::isError).count();
            err.println(config + ": " + errors + " error" + (errors == 1 ? "" : "s") + ", not starting");
            err.flush();
            return 1;
        }

        Daemon daemon;
        try {
            daemon = Daemon.start(cfg, config);
        } catch (Daemon.StartException e) {
            err.println("carpd run: " + e.getMessage());
            err.flush();
            log.debug("start failure", e);
            return 1;
        }

        StateSyncWiring sync = null;
        if (cfg.sync() != null) {
            try {
                sync = StateSyncWiring.start(cfg.sync(), daemon);
            } catch (IOException | RuntimeException e) {
                daemon.stop();
                err.println("carpd run: " + e.getMessage());
                err.flush();
                log.debug("sync start failure", e);
                return 1;
            }
        }

        ConfigSync configSync;
        try {
            configSync = ConfigSyncStarter.start(cfg, config, daemon);
        } catch (IOException | InterruptedException | RuntimeException e) {
            daemon.stop();
            if (sync != null) sync.close();
            err.println("carpd run: config sync: " + e.getMessage());
            err.flush();
            return 1;
        }

        ControlServer server;
        try {
            CarpdMetrics metrics = new CarpdMetrics(daemon, Main.Version.number());
            if (sync != null) sync.bindMetrics(metrics);
            if (configSync != null) ConfigSyncMetrics.bind(metrics.registry(), configSync.stats());
            server = ControlServer.start(daemon, metrics, settings(cfg),
                    new ApiExtensions(sync == null ? null : sync.control(), configSync));
        } catch (IOException | RuntimeException e) {
            if (configSync != null) configSync.close();
            daemon.stop();
            if (sync != null) sync.close();
            err.println("carpd run: control API: " + e.getMessage());
            err.flush();
            return 1;
        }

        // Signals rather than only a shutdown hook, so a requested stop ends with exit status 0.
        Runnable stop = () -> Thread.ofPlatform().name("carpd-stop").start(daemon::stop);
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        Signal.handle(new Signal("HUP"), s -> Thread.ofPlatform().name("carpd-reload").start(() -> {
            var result = daemon.reload();
            result.errors().forEach(e -> log.error("reload refused: {}", e));
            result.warnings().forEach(w -> log.warn("reload: {}", w));
            if (result.ok() && configSync != null) configSync.reloaded();
        }));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("carpd-shutdown").unstarted(daemon::stop));

        daemon.awaitTermination();
        server.close();
        // After the daemon: its VIPs are gone (or handed over) before the peer's links drop.
        if (configSync != null) configSync.close();
        if (sync != null) sync.close();
        return 0;
    }

    private static ControlServerSettings settings(CarpdConfig cfg) throws IOException {
        ApiConfig api = cfg.api();
        Path socket = api.socket() != null ? api.socket() : cfg.runtimeDir().resolve("carpd.sock");
        if (api.tcp() == null) return new ControlServerSettings(socket, api.socketGroup(), null, null);
        String token = null;
        if (api.tcp().tokenFile() != null) {
            try {
                token = Files.readString(api.tcp().tokenFile(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IOException("api.tcp.token_file: cannot read " + api.tcp().tokenFile() + ": " + e.getMessage(), e);
            }
        }
        return new ControlServerSettings(socket, api.socketGroup(),
                new InetSocketAddress(api.tcp().bind(), api.tcp().port()), token);
    }
}
