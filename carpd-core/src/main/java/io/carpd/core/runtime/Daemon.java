package io.carpd.core.runtime;

import io.carpd.core.api.ControlException;
import io.carpd.core.api.ControlPlane;
import io.carpd.core.api.NodeEventRecord;
import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.ReloadResult;
import io.carpd.core.config.CarpdConfig;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.config.MacMode;
import io.carpd.core.config.VhidConfig;
import io.carpd.core.election.CarpNode;
import io.carpd.core.election.Demotion;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.NodeEvent;
import io.carpd.core.election.VhKey;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
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

    private final CarpdConfig config;
    private final RuntimeCounters counters = new RuntimeCounters();
    private final EventHistory history = new EventHistory(HISTORY_CAPACITY, Clock.systemUTC());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Last known state of each configured interface (loop thread only after start). */
    private final Map<String, LinkInfo> links = new HashMap<>();
    private final Map<String, PacketPort> ports = new LinkedHashMap<>();

    private StateFlags flags;
    private RtNetlink netlink;
    private EventLoopGroup group;
    private EventLoop loop;
    private LoopScheduler scheduler;
    private VirtualMacs virtualMacs;
    private CarpNode node;
    private ActionExecutor executor;
    private PcapFrames frames;
    private AdvertIntake intake;
    private boolean maintenance;
    private boolean disabled;

    private Daemon(CarpdConfig config) {
        this.config = config;
    }

    /** Starts a daemon for {@code config}; on failure everything opened so far is closed again. */
    public static Daemon start(CarpdConfig config) throws StartException {
        Daemon d = new Daemon(config);
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
            resources.add(RuntimeLock.acquire(config.runtimeDir()));
        } catch (RuntimeLock.HeldException e) {
            throw new StartException(e.getMessage(), e);
        }
        netlink = RtNetlink.open();
        resources.add(netlink);

        // Before anything else: a crashed run may have left VIPs the peer now owns.
        OwnedVipsFile ownedFile = new OwnedVipsFile(config.runtimeDir());
        NetlinkAddresses nicAddresses = new NetlinkAddresses(netlink, null);
        OwnedVips.removeStale(ownedFile, nicAddresses::delete);

        flags = new StateFlags(config.stateDir());
        maintenance = flags.isSet(StateFlags.Flag.MAINTENANCE);
        disabled = flags.isSet(StateFlags.Flag.DISABLED);

        Map<String, LinkInfo> parents = new LinkedHashMap<>();
        for (VhidConfig v : config.vhids()) {
            if (!parents.containsKey(v.iface())) {
                LinkInfo link = netlink.findLink(v.iface()).orElseThrow(() -> new StartException(
                        "interface " + v.iface() + " (vhid " + v.vhid() + ") does not exist", null));
                parents.put(v.iface(), link);
            }
        }
        if (config.macMode() == MacMode.VIRTUAL) {
            virtualMacs = new VirtualMacs(netlink, ArpSysctls.system());
            resources.add(virtualMacs::deleteAll);
        }

        Map<VhKey, List<OwnedVip>> vips = new LinkedHashMap<>();
        Map<VhKey, PcapFrames.HostWire> wires = new LinkedHashMap<>();
        List<CarpNode.VhostSpec> specs = new ArrayList<>();
        for (VhidConfig v : config.vhids()) {
            VhKey key = v.key();
            String vipIface = virtualMacs == null ? v.iface() : virtualMacs.create(key, parents.get(v.iface()));
            List<InetAddress> addresses = v.addresses().stream().map(IpPrefix::address).toList();
            vips.put(key, v.addresses().stream().map(p -> new OwnedVip(vipIface, p.address(), p.prefixLength())).toList());
            CarpAuth auth = CarpAuth.of(v.password(), v.vhid(), addresses);
            if (auth.passwordTruncated()) {
                log.warn("{}: password longer than 19 bytes; like the BSDs only the first 19 count", key);
            }
            wires.put(key, new PcapFrames.HostWire(auth, addresses, v.peers(),
                    virtualMacs == null ? null : VirtualMacs.mac(v.vhid())));
            specs.add(new CarpNode.VhostSpec(key, v.toVirtualHostConfig()));
        }
        node = new CarpNode(specs, new SecureRandom().nextLong());

        Map<String, InterfaceVhids> tables = new HashMap<>();
        for (VhidConfig v : config.vhids()) {
            VhKey key = v.key();
            tables.computeIfAbsent(v.iface(), i -> new InterfaceVhids()).put(v.vhid(), wires.get(key).auth(), node.host(key));
        }

        for (String iface : parents.keySet()) {
            PacketPort port = PacketPort.open(iface);
            resources.add(port);
            ports.put(iface, port);
        }

        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("carpd-loop"), NioIoHandler.newFactory());
        loop = group.next();
        scheduler = new EventLoopScheduler(loop);
        frames = new PcapFrames(wires, ports, links::get, netlink, counters);
        resources.add(frames::close);
        var announce = config.announce();
        executor = new ActionExecutor(vips, new NetlinkAddresses(netlink, virtualMacs),
                frames, new AnnouncePolicy(announce.count(), announce.interval(), announce.refresh()), scheduler,
                new OwnedVips(ownedFile), history, counters, key -> feed(new NodeEvent.TimerExpired(key)));
        intake = new AdvertIntake(tables, counters, new BadHmacLog(BAD_HMAC_LOG_INTERVAL), scheduler, this::feed);

        // Watch first, then read the initial state on the loop: no carrier change can fall in between.
        LinkWatcher watcher = new LinkWatcher(info -> loop.execute(() -> onLink(info)));
        watcher.start();
        resources.add(watcher);
        onLoop(() -> {
            startElection(parents.keySet());
            return null;
        });
        ports.forEach((iface, port) -> port.startCapture((frame, length) -> {
            if (stopping.get()) return; // the loop may be gone; the election is stopped anyway
            loop.execute(() -> intake.onFrame(iface, frame, length));
        }));
    }

    private void startElection(Set<String> ifaces) {
        for (String iface : ifaces) {
            LinkInfo link = netlink.link(iface);
            links.put(iface, link);
            if (!link.usable()) {
                log.warn("interface {} is down or has no carrier: its VHIDs stay INIT until it is up", iface);
                feed(new NodeEvent.LinkChanged(iface, false));
            }
        }
        if (maintenance) {
            log.info("maintenance mode is on (persisted in {})", config.stateDir());
            feed(new NodeEvent.SetDemotion(Demotion.CARP_GROUP, Demotion.MAINTENANCE_SOURCE, Demotion.MAINTENANCE));
        }
        if (disabled) {
            log.info("carpd is disabled (persisted in {}): no VHID will run until enabled", config.stateDir());
            feed(new NodeEvent.SetDisabled(true));
        }
        int n = config.vhids().size();
        String line = "carpd started: node " + config.node() + ", " + n + (n == 1 ? " VHID" : " VHIDs") + " on "
                + String.join(", ", ifaces) + ", mac_mode " + config.macMode().yamlName();
        log.info(line);
        history.record("start", null, 0, line);
        feed(new NodeEvent.Start());
    }

    /** Feeds one event to the election and performs what it returns (loop thread). */
    private void feed(NodeEvent event) {
        List<NodeAction> actions = node.handle(event, scheduler.nanoTime());
        executor.execute(actions);
    }

    private void onLink(LinkInfo info) {
        LinkInfo before = links.get(info.name());
        if (before == null || stopping.get()) return;
        links.put(info.name(), info);
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
            // Capture threads and the link watcher first, so nothing hands work to a terminated loop.
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

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("closing {}: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Protocol counters (readable from any thread), for metrics. */
    public RuntimeCounters counters() {
        return counters;
    }

    /** The event loop that owns the protocol state (for components that want to share it). */
    public EventLoop eventLoop() {
        return loop;
    }

    public CarpdConfig config() {
        return config;
    }

    // ---- control plane -----------------------------------------------------------------------

    @Override
    public NodeStatus status() {
        return onLoop(() -> StatusView.of(config.node(), node, executor, counters, ports, maintenance, disabled,
                vipStrings()));
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
        Set<String> known = new LinkedHashSet<>(List.of(Demotion.CARP_GROUP));
        config.vhids().forEach(v -> known.addAll(v.groups()));
        if (!known.contains(group)) {
            throw new ControlException(ControlException.Kind.NOT_FOUND,
                    "no VHID is in demotion group '" + group + "' (groups: " + String.join(", ", known) + ")");
        }
        onLoop(() -> {
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

    @Override
    public ReloadResult reload() {
        return ReloadResult.refused(List.of("reload is not supported by this build yet: restart carpd to apply "
                + "configuration changes"));
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

    private Map<VhKey, List<String>> vipStrings() {
        Map<VhKey, List<String>> out = new LinkedHashMap<>();
        config.vhids().forEach(v -> out.put(v.key(), v.addresses().stream().map(IpPrefix::toString).toList()));
        return out;
    }

    private void persist(StateFlags.Flag flag, boolean on) {
        try {
            flags.set(flag, on);
        } catch (IOException e) {
            throw new ControlException(ControlException.Kind.FAILED,
                    "cannot store the " + flag.name().toLowerCase(Locale.ROOT) + " flag in " + config.stateDir() + ": " + e.getMessage(), e);
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
