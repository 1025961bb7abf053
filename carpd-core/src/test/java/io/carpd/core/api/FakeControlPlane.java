package io.carpd.core.api;

import io.carpd.core.election.CarpState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A scripted daemon for API tests: records commands, serves a status built from its fields. */
public class FakeControlPlane implements ControlPlane {

    public static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

    public volatile List<VipStatus> vips = new ArrayList<>(List.of(
            new VipStatus("lan", 2, CarpState.MASTER, 1, 0, 0, 0,
                    List.of("192.0.2.254/24", "2001:db8::254/64"), Set.of("carp"),
                    new Transition("lan", 2, CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s", T0)),
            new VipStatus("wan", 1, CarpState.BACKUP, 1, 100, 100, 0,
                    List.of("203.0.113.4/28"), Set.of("carp", "uplink"), null)));
    public final Map<String, Map<String, Integer>> demotion = new LinkedHashMap<>(Map.of("carp", new LinkedHashMap<>()));
    public volatile boolean maintenance;
    public volatile boolean disabled;
    public volatile ReloadResult nextReload = ReloadResult.applied(List.of("added vhid 3 on dmz"), List.of());
    public volatile Counters counters = new Counters(
            Map.of("lan", new Counters.InterfaceCounters(120, 3, Map.of("bad_hmac", 2L, "bad_ttl", 1L), 3, 3),
                    "wan", new Counters.InterfaceCounters(0, 118, Map.of(), 0, 0)),
            List.of(new Counters.TransitionCount("lan", 2, CarpState.MASTER, "master_down", 1),
                    new Counters.TransitionCount("lan", 2, CarpState.BACKUP, "start", 1),
                    new Counters.TransitionCount("wan", 1, CarpState.BACKUP, "start", 1)));
    public final List<NodeEventRecord> journal = new CopyOnWriteArrayList<>();
    public final List<Consumer<NodeEventRecord>> subscribers = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();

    public FakeControlPlane() {
        for (int i = 1; i <= 5; i++) record("transition", "lan", 2, "event " + i);
    }

    public synchronized NodeEventRecord record(String kind, String iface, int vhid, String message) {
        var ev = new NodeEventRecord(journal.size() + 1, T0.plusSeconds(journal.size()), kind, iface, vhid, message);
        journal.add(ev);
        subscribers.forEach(s -> s.accept(ev));
        return ev;
    }

    /** When set, status() blocks until it opens, counting callers in {@link #waiting}. */
    public volatile CountDownLatch gate;
    public final AtomicInteger waiting = new AtomicInteger();

    @Override
    public NodeStatus status() {
        var g = gate;
        if (g != null) {
            waiting.incrementAndGet();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return snapshot();
    }

    private synchronized NodeStatus snapshot() {
        int effective = demotion.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).max().orElse(0);
        Transition last = vips.stream().map(VipStatus::lastTransition).filter(t -> t != null).findFirst().orElse(null);
        return new NodeStatus("fw1", vips, demotion, Math.min(255, effective), maintenance, disabled, last, counters);
    }

    @Override
    public synchronized void setMaintenance(boolean enabled) {
        commands.add("maintenance " + enabled);
        maintenance = enabled;
        if (enabled) demotion.get("carp").put("maintenance", 240);
        else demotion.get("carp").remove("maintenance");
    }

    @Override
    public synchronized void setDemotion(String group, int value) {
        Map<String, Integer> sources = demotion.get(group);
        if (sources == null) throw new ControlException(ControlException.Kind.NOT_FOUND, "no VHID is in group " + group);
        commands.add("demote " + group + " " + value);
        if (value == 0) sources.remove("operator");
        else sources.put("operator", value);
    }

    @Override
    public synchronized void setDisabled(boolean disabled) {
        commands.add(disabled ? "disable" : "enable");
        this.disabled = disabled;
    }

    @Override
    public ReloadResult reload() {
        commands.add("reload");
        return nextReload;
    }

    @Override
    public List<NodeEventRecord> events(int n) {
        List<NodeEventRecord> all = List.copyOf(journal);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    @Override
    public synchronized Subscription subscribe(Consumer<NodeEventRecord> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }
}
