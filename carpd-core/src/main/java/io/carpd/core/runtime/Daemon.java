package io.carpd.core.runtime;

import io.carpd.core.api.ControlException;
import io.carpd.core.api.ControlPlane;
import io.carpd.core.api.NodeEventRecord;
import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.ReloadResult;
import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.ConfigException;
import io.carpd.core.config.ConfigLoader;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.config.LoadedConfig;
import io.carpd.core.config.MacMode;
import io.carpd.core.config.VhidConfig;
import io.carpd.core.election.CarpNode;
import io.carpd.core.election.Demotion;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.NodeEvent;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import io.carpd.core.hooks.HookEvent;
import io.carpd.core.hooks.HookRunner;
import io.carpd.core.hooks.NodeRoleTracker;
import io.carpd.core.hooks.Role;
import io.carpd.core.linux.ArpSysctls;
import io.carpd.core.linux.LinkInfo;
import io.carpd.core.linux.LinkWatcher;
import io.carpd.core.linux.PacketPort;
import io.carpd.core.linux.RtNetlink;
import io.carpd.core.wire.CarpAuth;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A running carpd node: one single-threaded Netty event loop owns the {@link CarpNode} and every
 * piece of protocol state, so nothing here is locked. Capture threads, the link watcher and control
 * calls only hand work to the loop. Start order: runtime lock, removal of VIPs a crashed run left,
 * interfaces, then the election (with the persisted maintenance / disable flags applied before it
 * starts). {@link #stop()} bows out, removes the VIPs and clears the owned-VIP record.
 */
public final class Daemon implements ControlPlane, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final long BAD_HMAC_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);
    private static final int HISTORY_CAPACITY = 1000;

    /** The daemon could not start; the message names what and where. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path configFile;
    private final RuntimeCounters counters = new RuntimeCounters();
    private final EventHistory history = new EventHistory(HISTORY_CAPACITY, Clock.systemUTC());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<Consumer<Role>> roleListeners = new CopyOnWriteArrayList<>();

    // Loop-confined once the loop runs (maps are shared with the intake / frames, which run on it too).
    private final Map<String, LinkInfo> links = new HashMap<>();
    private final Map<String, PacketPort> ports = new LinkedHashMap<>();
    private final Map<String, InterfaceVhids> tables = new HashMap<>();
    /** The interface index each pcap handle was opened on. */
    private final Map<String, Integer> capturedIndex = new HashMap<>();
    private volatile CarpdConfig config;
    private boolean maintenance;
    private boolean disabled;

    private RuntimeLock lock;
    private RtNetlink netlink;
    private StateFlags flags;
    private EventLoopGroup group;
    private EventLoop loop;
    private LoopScheduler scheduler;
    private VirtualMacs virtualMacs;
    private CarpNode node;
    private ActionExecutor executor;
    private PcapFrames frames;
    private AdvertIntake intake;
    private LinkWatcher watcher;
    private HookRunner hooks;
    private NodeRoleTracker roles;

    private Daemon(CarpdConfig config, Path configFile) {
        this.config = config;
        this.configFile = configFile;
    }

    /**
     * Starts a daemon for {@code config}; on failure everything opened so far is closed again.
     *
     * @param configFile where {@code config} came from, re-read by {@link #reload()}
     */
    public static Daemon start(CarpdConfig config, Path configFile) throws StartException {
        Daemon d = new Daemon(config, configFile);
        try {
            d.open();
            return d;
        } catch (StartException e) {
            d.closeResources();
            throw e;
        } catch (RuntimeException | IOException e) {
            d.closeResources();
            throw new StartException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private void open() throws StartException, IOException {
        try {
            lock = RuntimeLock.acquire(config.runtimeDir());
        } catch (RuntimeLock.HeldException e) {
            throw new StartException(e.getMessage(), e);
        }
        netlink = RtNetlink.open();

        // Before anything else: a crashed run may have left VIPs the peer now owns.
        OwnedVipsFile ownedFile = new OwnedVipsFile(config.runtimeDir());
        OwnedVips.removeStale(ownedFile, new NetlinkAddresses(netlink, null)::delete);

        flags = new StateFlags(config.stateDir());
        maintenance = flags.isSet(StateFlags.Flag.MAINTENANCE);
        disabled = flags.isSet(StateFlags.Flag.DISABLED);
        String missing = missingInterfaces(config);
        if (missing != null) throw new StartException(missing, null);
        if (config.macMode() == MacMode.VIRTUAL) virtualMacs = new VirtualMacs(netlink, ArpSysctls.system());

        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("carpd-loop"), NioIoHandler.newFactory());
        loop = group.next();
        scheduler = new EventLoopScheduler(loop);
        frames = new PcapFrames(ports, links::get, netlink, counters);
        roles = new NodeRoleTracker(config.vhids().stream().map(VhidConfig::key).toList());
        if (config.hooks() != null) {
            hooks = new HookRunner(config.hooks(), config.node());
            hooks.start();
        }
        executor = new ActionExecutor(new NetlinkAddresses(netlink, virtualMacs), frames, config.announce(), scheduler,
                new OwnedVips(ownedFile), history, counters, key -> feed(new NodeEvent.TimerExpired(key)),
                this::runHooks);
        intake = new AdvertIntake(tables, counters, new BadHmacLog(BAD_HMAC_LOG_INTERVAL), scheduler, this::feed);
        node = new CarpNode(config.vhids().stream()
                .map(v -> new CarpNode.VhostSpec(v.key(), v.toVirtualHostConfig())).toList(), new SecureRandom().nextLong());

        // Watch first, then read the initial state on the loop: no carrier change can fall in between.
        watcher = new LinkWatcher(info -> loop.execute(() -> onLink(info)));
        watcher.start();
        onLoop(() -> {
            config.vhids().forEach(this::attach);
            startElection();
            return null;
        });
    }

    /** The error message for configured interfaces that do not exist, or null. */
    private String missingInterfaces(CarpdConfig cfg) {
        List<String> missing = new ArrayList<>();
        for (VhidConfig v : cfg.vhids()) {
            if (netlink.findLink(v.iface()).isEmpty()) missing.add("interface " + v.iface() + " (vhid " + v.vhid() + ") does not exist");
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    /** Wires one VHID into the loop's I/O: its VIPs, HMAC context, pcap handle and decoder table. */
    private void attach(VhidConfig v) {
        VhKey key = v.key();
        LinkInfo parent = openInterface(v.iface());
        String vipIface = virtualMacs == null ? v.iface() : virtualMacs.create(key, parent);
        List<InetAddress> addresses = v.addresses().stream().map(IpPrefix::address).toList();
        CarpAuth auth = CarpAuth.of(v.password(), v.vhid(), addresses);
        if (auth.passwordTruncated()) log.warn("{}: password longer than 19 bytes; like the BSDs only the first 19 count", key);
        executor.register(key, v.addresses().stream().map(p -> new OwnedVip(vipIface, p.address(), p.prefixLength())).toList());
        frames.register(key, new PcapFrames.HostWire(auth, addresses, v.peers(),
                virtualMacs == null ? null : VirtualMacs.mac(v.vhid())));
        tables.computeIfAbsent(v.iface(), i -> new InterfaceVhids()).put(v.vhid(), auth, node.host(key));
    }

    /** Undoes {@link #attach} after the VHID's final actions ran; closes its interface if no VHID is left there. */
    private void detach(VhKey key) {
        executor.unregister(key);
        frames.unregister(key);
        InterfaceVhids table = tables.get(key.iface());
        if (table != null) table.remove(key.vhid());
        if (virtualMacs != null) virtualMacs.delete(key);
        if (table != null && table.isEmpty()) {
            tables.remove(key.iface());
            links.remove(key.iface());
            capturedIndex.remove(key.iface());
            PacketPort port = ports.remove(key.iface());
            if (port != null) port.close();
        }
    }

    /** The pcap handle of {@code iface}, opened and capturing on first use; returns the link's state. */
    private LinkInfo openInterface(String iface) {
        if (!ports.containsKey(iface)) {
            LinkInfo link = netlink.link(iface);
            links.put(iface, link);
            ports.put(iface, capture(iface));
            capturedIndex.put(iface, link.index());
        }
        return links.get(iface);
    }

    private PacketPort capture(String iface) {
        PacketPort port = PacketPort.open(iface);
        port.startCapture((frame, length) -> {
            if (stopping.get()) return; // the loop may be gone; the election is stopped anyway
            loop.execute(() -> intake.onFrame(iface, frame, length));
        });
        return port;
    }

    /** A deleted and re-created interface has a new index: the old pcap handle sees nothing any more. */
    private void reopenCapture(String iface, int index) {
        PacketPort old = ports.remove(iface);
        quietly("pcap handle of " + iface, old);
        capturedIndex.put(iface, index);
        try {
            ports.put(iface, capture(iface));
            log.info("interface {} was re-created: capture reopened", iface);
        } catch (RuntimeException e) {
            log.error("interface {} was re-created but capture could not be reopened: {}", iface, e.getMessage());
        }
    }

    private void startElection() {
        int n = config.vhids().size();
        String line = "carpd started: node " + config.node() + ", " + n + (n == 1 ? " VHID" : " VHIDs") + " on "
                + String.join(", ", links.keySet()) + ", mac_mode " + config.macMode().yamlName();
        log.info(line);
        history.record("start", null, 0, line);
        links.forEach((iface, link) -> {
            if (!link.usable()) {
                log.warn("interface {} is down or has no carrier: its VHIDs stay INIT until it is up", iface);
                feed(new NodeEvent.LinkChanged(iface, false));
            }
        });
        if (maintenance) {
            log.info("maintenance mode is on (persisted in {})", config.stateDir());
            feed(new NodeEvent.SetDemotion(Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE));
        }
        if (disabled) {
            log.info("carpd is disabled (persisted in {}): no VHID will run until enabled", config.stateDir());
            feed(new NodeEvent.SetDisabled(true));
        }
        feed(new NodeEvent.Start());
    }

    /** Feeds one event to the election and performs what it returns (loop thread). */
    private void feed(NodeEvent event) {
        executor.execute(node.handle(event, scheduler.nanoTime()));
    }

    /** Hook events for a performed batch: VHID transitions, node role changes, demotion changes. */
    private void runHooks(List<NodeAction> notable) {
        for (NodeAction action : notable) {
            switch (action) {
                case NodeAction.Host(VhKey key, VhAction.Transition t) -> {
                    VhidConfig v = vhidConfig(key);
                    int demotion = node.hosts().containsKey(key) ? node.host(key).demotion() : 0;
                    submit(roles.transition(key, v == null ? List.of() : v.addresses(), demotion, t));
                }
                case NodeAction.DemotionChanged d -> submit(List.of(roles.demotion(d)));
                default -> { }
            }
        }
    }

    private void submit(List<HookEvent> events) {
        for (HookEvent e : events) {
            if (hooks != null) hooks.submit(e);
            if (e instanceof HookEvent.NodeRole r) notifyRole(r.to());
        }
    }

    private void notifyRole(Role role) {
        for (Consumer<Role> listener : roleListeners) {
            try {
                listener.accept(role);
            } catch (RuntimeException e) {
                log.warn("node role listener failed: {}", e.toString());
            }
        }
    }

    private VhidConfig vhidConfig(VhKey key) {
        for (VhidConfig v : config.vhids()) {
            if (v.key().equals(key)) return v;
        }
        return null;
    }

    private void onLink(LinkInfo info) {
        LinkInfo before = links.get(info.name());
        if (before == null || stopping.get()) return;
        log.debug("link event {} (was {})", info, before);
        links.put(info.name(), info);
        if (info.usable() && info.index() != capturedIndex.get(info.name())) reopenCapture(info.name(), info.index());
        if (before.usable() != info.usable()) {
            String line = "link " + info.name() + (info.usable() ? " up" : " down");
            log.info(line);
            history.record("link", info.name(), 0, line);
            feed(new NodeEvent.LinkChanged(info.name(), info.usable()));
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Graceful stop: bow-out adverts, VIPs removed, owned-VIP record cleared. Idempotent; blocks until done. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            loop.submit(this::stopOnLoop).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("interrupted while stopping: VIPs may be left (removed at next start)");
        } catch (ExecutionException | TimeoutException e) {
            log.error("graceful stop failed: {} (VIPs left behind are removed at next start)", e.toString());
        } finally {
            finishHooks();
            closeResources();
            log.info("carpd stopped");
            terminated.countDown();
        }
    }

    private void stopOnLoop() {
        feed(new NodeEvent.Stop());
        executor.cancelAll();
        List<OwnedVip> left = executor.ownedVips();
        if (!left.isEmpty()) {
            // The election released what it knew it held; anything else still recorded goes too.
            log.warn("removing VIPs still held at stop: {}", left);
            executor.releaseAll();
        }
        history.record("stop", null, 0, "carpd stopping");
    }

    /** Lets the hooks of the final transitions run (each is killed at its timeout), then stops the runner. */
    private void finishHooks() {
        if (hooks == null) return;
        try {
            if (!hooks.awaitIdle(config.hooks().timeout().plusSeconds(1))) {
                log.warn("hooks still running at stop; they are killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hooks.close();
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Capture threads and the link watcher first, so nothing hands work to a terminated loop. */
    private void closeResources() {
        quietly("hook runner", hooks);
        quietly("link watcher", watcher);
        ports.values().forEach(p -> quietly("pcap handle", p));
        ports.clear();
        if (frames != null) frames.close();
        if (virtualMacs != null) virtualMacs.deleteAll();
        quietly("rtnetlink", netlink);
        quietly("runtime lock", lock);
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static void quietly(String what, AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing the {}: {}", what, e.toString());
        }
    }

    /** Protocol counters (readable from any thread), for metrics. */
    public RuntimeCounters counters() {
        return counters;
    }

    /** The event loop that owns the protocol state (for components that want to share it). */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The configuration in effect (replaced by a successful reload). */
    public CarpdConfig config() {
        return config;
    }

    // ---- other modules (state sync) ----------------------------------------------------------

    /**
     * Sets one named demotion source, e.g. state sync's ("carp", "sync", 32) until its first bulk
     * transfer completed; 0 clears it. Thread-safe; waits until the election has it.
     */
    public void setDemotionSource(String group, String source, int value) {
        onLoop(() -> {
            feed(new NodeEvent.SetDemotion(group, source, value));
            return null;
        });
    }

    /**
     * Calls {@code listener} on the event loop whenever the node's overall role changes (MASTER of
     * all VHIDs, BACKUP of all, INIT, or mixed); it must not block. The returned handle removes it.
     */
    public Runnable onRoleChange(Consumer<Role> listener) {
        roleListeners.add(listener);
        return () -> roleListeners.remove(listener);
    }

    /** The node's overall role right now. */
    public Role role() {
        return onLoop(roles::role);
    }

    // ---- control plane -----------------------------------------------------------------------

    @Override
    public NodeStatus status() {
        return onLoop(() -> StatusView.of(config, node, executor, counters, ports, maintenance, disabled));
    }

    @Override
    public void setMaintenance(boolean enabled) {
        persist(StateFlags.Flag.MAINTENANCE, enabled);
        onLoop(() -> {
            if (maintenance == enabled) return null;
            maintenance = enabled;
            String line = "maintenance mode " + (enabled ? "on" : "off");
            log.info(line);
            history.record("maintenance", null, 0, line);
            feed(new NodeEvent.SetDemotion(Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE,
                    enabled ? Demotion.MAINTENANCE : 0));
            return null;
        });
    }

    @Override
    public void setDemotion(String group, int value) {
        if (value < 0 || value > Demotion.MAX) {
            throw new ControlException(ControlException.Kind.INVALID,
                    "demotion " + value + " is out of range 0.." + Demotion.MAX);
        }
        onLoop(() -> {
            Set<String> known = new LinkedHashSet<>(List.of(Demotion.CARP_GROUP));
            config.vhids().forEach(v -> known.addAll(v.groups()));
            if (!known.contains(group)) {
                throw new ControlException(ControlException.Kind.NOT_FOUND,
                        "no VHID is in demotion group '" + group + "' (groups: " + String.join(", ", known) + ")");
            }
            feed(new NodeEvent.SetDemotion(group, Demotion.OPERATOR_SOURCE, value));
            return null;
        });
    }

    @Override
    public void setDisabled(boolean disable) {
        persist(StateFlags.Flag.DISABLED, disable);
        onLoop(() -> {
            if (disabled == disable) return null;
            disabled = disable;
            String line = disable ? "carpd disabled by the operator" : "carpd enabled by the operator";
            log.info(line);
            history.record(disable ? "disable" : "enable", null, 0, line);
            feed(new NodeEvent.SetDisabled(disable));
            return null;
        });
    }

    /**
     * Re-reads the config file and applies VHID changes: removed VHIDs bow out and release, added
     * ones start as BACKUP, ones with new election parameters only are reconfigured in place (no
     * failover), and ones whose VIPs, password or peers changed are removed and added again.
     * Settings that only a restart can change are kept, with a warning.
     */
    @Override
    public ReloadResult reload() {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.standard().read(configFile);
        } catch (ConfigException e) {
            return ReloadResult.refused(e.getProblems().stream().filter(p -> p.isError()).map(Object::toString).toList());
        }
        CarpdConfig next = loaded.config();
        String missing = onLoop(() -> missingInterfaces(next));
        if (missing != null) return ReloadResult.refused(List.of(missing));
        List<String> warnings = new ArrayList<>(loaded.warnings().stream().map(Object::toString).toList());
        ReloadResult result = onLoop(() -> applyReload(next, warnings));
        result.changes().forEach(c -> log.info("reload: {}", c));
        return result;
    }

    private ReloadResult applyReload(CarpdConfig next, List<String> warnings) {
        CarpdConfig current = config;
        keepRestartOnly("node", current.node(), next.node(), warnings);
        keepRestartOnly("runtime_dir", current.runtimeDir(), next.runtimeDir(), warnings);
        keepRestartOnly("state_dir", current.stateDir(), next.stateDir(), warnings);
        keepRestartOnly("mac_mode", current.macMode(), next.macMode(), warnings);
        keepRestartOnly("api", current.api(), next.api(), warnings);
        keepRestartOnly("hooks", current.hooks(), next.hooks(), warnings);
        keepRestartOnly("config_sync", current.configSync(), next.configSync(), warnings);
        keepRestartOnly("sync", current.sync(), next.sync(), warnings);
        Map<VhKey, VhidConfig> before = byKey(current.vhids());
        Map<VhKey, VhidConfig> after = byKey(next.vhids());
        List<String> changes = new ArrayList<>();
        long now = scheduler.nanoTime();
        for (var e : before.entrySet()) {
            VhidConfig replacement = after.get(e.getKey());
            if (e.getValue().equals(replacement) || inPlace(e.getValue(), replacement)) continue;
            executor.execute(node.removeHost(e.getKey(), now));
            detach(e.getKey());
            submit(roles.removed(e.getKey(), "reload"));
            if (replacement == null) changes.add("removed " + e.getKey());
        }
        // Restart-only settings keep their running values; the hooks of added VHIDs need the new addresses.
        config = new CarpdConfig(current.node(), current.runtimeDir(), current.stateDir(), current.macMode(),
                next.announce(), next.vhids(), current.api(), current.hooks(), current.sync(), current.configSync());
        for (var e : after.entrySet()) {
            VhidConfig previous = before.get(e.getKey());
            if (e.getValue().equals(previous)) continue;
            VhidConfig v = e.getValue();
            if (inPlace(previous, v)) {
                // Timers, skew, preemption or groups only: keep the state, no failover.
                executor.execute(node.updateHost(new CarpNode.VhostSpec(v.key(), v.toVirtualHostConfig()), now));
                changes.add("updated " + v.key() + " in place");
                continue;
            }
            boolean newLink = !links.containsKey(v.iface());
            List<NodeAction> actions = new ArrayList<>();
            if (newLink) {
                LinkInfo link = netlink.link(v.iface());
                if (!link.usable()) actions.addAll(node.handle(new NodeEvent.LinkChanged(v.iface(), false), now));
            }
            actions.addAll(node.addHost(new CarpNode.VhostSpec(v.key(), v.toVirtualHostConfig()), now));
            attach(v);
            submit(roles.added(v.key(), "reload"));
            executor.execute(actions);
            changes.add((previous == null ? "added " : "restarted (changed) ") + v.key());
        }
        if (!current.announce().equals(next.announce())) {
            executor.announceWith(next.announce());
            changes.add("announce: " + next.announce());
        }
        String line = "configuration reloaded: " + (changes.isEmpty() ? "no changes" : String.join("; ", changes));
        history.record("reload", null, 0, line);
        return ReloadResult.applied(changes, warnings);
    }

    /**
     * Whether a changed VHID can be reconfigured without a restart: same VIPs, password and peers
     * (they make up its HMAC and where it sends), only election parameters differ.
     */
    private static boolean inPlace(VhidConfig before, VhidConfig after) {
        return before != null && after != null && before.addresses().equals(after.addresses())
                && Arrays.equals(before.password(), after.password()) && before.peers().equals(after.peers());
    }

    private static void keepRestartOnly(String key, Object running, Object next, List<String> warnings) {
        if (!Objects.equals(running, next)) {
            warnings.add(key + " changed: takes effect at the next restart (still " + running + ")");
        }
    }

    private static Map<VhKey, VhidConfig> byKey(List<VhidConfig> vhids) {
        Map<VhKey, VhidConfig> out = new LinkedHashMap<>();
        vhids.forEach(v -> out.put(v.key(), v));
        return out;
    }

    @Override
    public List<NodeEventRecord> events(int n) {
        if (n < 0) throw new ControlException(ControlException.Kind.INVALID, "event count must not be negative: " + n);
        return onLoop(() -> history.latest(n).stream().map(Daemon::toRecord).toList());
    }

    @Override
    public Subscription subscribe(Consumer<NodeEventRecord> listener) {
        Runnable remove = history.listen(e -> listener.accept(toRecord(e)));
        return remove::run;
    }

    private static NodeEventRecord toRecord(HistoryEvent e) {
        return new NodeEventRecord(e.seq(), e.at(), e.kind(), e.iface(), e.vhid(), e.message());
    }

    private void persist(StateFlags.Flag flag, boolean on) {
        try {
            flags.set(flag, on);
        } catch (IOException e) {
            throw new ControlException(ControlException.Kind.FAILED, "cannot store the "
                    + flag.name().toLowerCase(Locale.ROOT) + " flag in " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code task} on the loop and waits for it; election errors become operator-facing refusals. */
    private <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw refusal(e);
            } catch (Exception e) {
                throw new ControlException(ControlException.Kind.FAILED, e.toString(), e);
            }
        }
        if (stopping.get()) throw new ControlException(ControlException.Kind.CONFLICT, "carpd is stopping");
        try {
            return loop.submit(task).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? refusal(r)
                    : new ControlException(ControlException.Kind.FAILED, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ControlException.Kind.FAILED, "interrupted", e);
        } catch (TimeoutException e) {
            throw new ControlException(ControlException.Kind.FAILED, "the event loop did not answer within "
                    + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (RejectedExecutionException e) {
            throw new ControlException(ControlException.Kind.CONFLICT, "carpd is stopping", e);
        }
    }

    private static ControlException refusal(RuntimeException e) {
        if (e instanceof ControlException c) return c;
        if (e instanceof IllegalArgumentException) return new ControlException(ControlException.Kind.INVALID, e.getMessage(), e);
        return new ControlException(ControlException.Kind.FAILED, e.toString(), e);
    }
}
