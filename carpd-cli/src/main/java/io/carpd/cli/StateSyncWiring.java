package io.carpd.cli;

import io.carpd.core.api.VipStatus;
import io.carpd.core.config.SyncConfig;
import io.carpd.core.hooks.Role;
import io.carpd.core.metrics.CarpdMetrics;
import io.carpd.core.runtime.Daemon;
import io.carpd.pfsync.control.StateSyncControl;
import io.carpd.pfsync.control.SyncMetrics;
import io.carpd.pfsync.engine.PeerState;
import io.carpd.pfsync.engine.SyncSettings;
import io.carpd.pfsync.link.LinkSettings;
import io.carpd.pfsync.link.StateSync;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;

/**
 * State sync inside {@code carpd run}, for a configuration with a {@code sync:} section: starts
 * {@link StateSync} next to the {@link Daemon}, turns its "sync not complete" demotion into the
 * daemon's demotion source ("carp", "pfsync"), and exposes it to the control API and metrics.
 *
 * <p>Takeover order: the peer's states are written into the kernel as they arrive (write-through),
 * so a BACKUP already holds them when it becomes MASTER; only writes still queued on the kernel
 * writer at that instant (milliseconds of changes) are not. The daemon does not hold the VIPs back
 * for {@link StateSync#kernelWritesDone()}: that would make the election loop wait on netlink, and
 * the daemon's VIP changes run on that loop. Instead the time those last writes took after the
 * takeover is logged, so an operator can see that the window is negligible.
 */
final class StateSyncWiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateSyncWiring.class);
    /** Every minute, a full dump re-sends states whose peer copy would expire first (spec §7). */
    private static final Duration DUMP_INTERVAL = Duration.ofSeconds(60);
    static final String DEMOTION_GROUP = "carp";
    static final String DEMOTION_SOURCE = "pfsync";

    private final StateSync sync;
    private final StateSyncControl control;
    private final Runnable roleListener;
    private final SplitBrainMonitor splitBrain;
    private final Daemon daemon;
    /** Held so the meters, which read through it, stay alive as long as sync runs. */
    private SyncMetrics metrics;

    private StateSyncWiring(StateSync sync, StateSyncControl control, Runnable roleListener, SplitBrainMonitor splitBrain,
                            Daemon daemon) {
        this.sync = sync;
        this.control = control;
        this.roleListener = roleListener;
        this.splitBrain = splitBrain;
        this.daemon = daemon;
    }

    /**
     * Starts state sync for {@code config} next to {@code daemon}.
     *
     * @throws IOException naming the key file or what could not be opened
     */
    static StateSyncWiring start(SyncConfig config, Daemon daemon) throws IOException {
        byte[] key = readKey(config);
        LinkSettings link;
        try {
            link = LinkSettings.forConfig(config, key);
        } catch (IllegalArgumentException e) {
            throw new IOException("sync: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        StateSync sync = new StateSync(link, SyncSettings.forConfig(config), DUMP_INTERVAL, new StateSync.Listener() {
            @Override
            public void demotion(int value, String reason) {
                log.info("sync: demotion {} ({})", value, reason);
                try {
                    daemon.setDemotionSource(DEMOTION_GROUP, DEMOTION_SOURCE, value);
                } catch (RuntimeException e) {
                    log.warn("sync: cannot set demotion {}: {}", value, e.getMessage());
                }
            }

            @Override
            public void peerState(PeerState from, PeerState to, String reason) {
                // StateSync logs the change; status and metrics read it on demand.
            }
        });
        try {
            sync.start();
        } catch (Exception e) {
            sync.close();
            throw new IOException("sync: cannot start on " + config.iface() + " (" + config.local().getHostAddress()
                    + " -> " + config.peer().getHostAddress() + ":" + config.port() + "): " + e.getMessage(), e);
        }
        Runnable roleListener = daemon.onRoleChange(role -> {
            if (role == Role.MASTER) {
                long at = System.nanoTime();
                sync.kernelWritesDone().thenRun(() -> log.info(
                        "sync: became MASTER; peer states still queued for the kernel were written {} ms later",
                        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - at) / 1e6)));
            }
        });
        log.info("sync: {} on {}, peer {} port {}", link.dials() ? "dialling" : "listening",
                config.local().getHostAddress(), config.peer().getHostAddress(), config.port());
        SplitBrainMonitor splitBrain = new SplitBrainMonitor(daemon, sync);
        return new StateSyncWiring(sync, new StateSyncControl(sync, config, splitBrain::current), roleListener, splitBrain,
                daemon);
    }

    /** The sync key (trailing line breaks dropped), checked for length; shared with config sync. */
    static byte[] readKey(SyncConfig config) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(config.keyFile());
        } catch (IOException e) {
            throw new IOException("sync.key_file: cannot read " + config.keyFile() + ": " + e.getMessage(), e);
        }
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
            end--;
        }
        byte[] key = Arrays.copyOf(raw, end);
        Arrays.fill(raw, (byte) 0);
        if (key.length < 16) {
            throw new IOException("sync.key_file: " + config.keyFile() + " holds " + key.length
                    + " bytes; the sync key needs at least 16");
        }
        return key;
    }

    StateSyncControl control() {
        return control;
    }

    /**
     * Adds the {@code carpd_sync_*} meters, {@code carpd_split_brain{interface,vhid}} (0/1, one per
     * configured VHID) and {@code carpd_split_brains_total} to the daemon's registry
     * (not {@code carpd_split_brain_total}: a counter of that name would be the same metric family
     * as the gauge in the Prometheus exposition and be dropped).
     */
    void bindMetrics(CarpdMetrics metrics) {
        this.metrics = SyncMetrics.bind(metrics.registry(), control);
        MeterRegistry registry = metrics.registry();
        for (VipStatus v : daemon.status().vips()) {
            Gauge.builder("carpd.split.brain", splitBrain, m -> m.inSplitBrain(v.iface(), v.vhid()) ? 1 : 0).strongReference(true)
                    .description("1 while both nodes claim MASTER for this VHID longer than an advert interval")
                    .tag("interface", v.iface()).tag("vhid", Integer.toString(v.vhid()))
                    .register(registry);
        }
        FunctionCounter.builder("carpd.split.brains", splitBrain, SplitBrainMonitor::total)
                .description("Split brains detected over the sync link since start")
                .register(registry);
    }

    @Override
    public void close() {
        splitBrain.close();
        roleListener.run();
        sync.close();
    }
}
