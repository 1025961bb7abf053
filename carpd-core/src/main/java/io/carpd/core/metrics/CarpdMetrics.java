package io.carpd.core.metrics;

import io.carpd.core.api.ControlPlane;
import io.carpd.core.api.Counters;
import io.carpd.core.api.NodeStatus;
import io.carpd.core.api.VipStatus;
import io.carpd.core.election.CarpState;
import io.carpd.core.wire.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * carpd's Prometheus metrics, read from a {@link NodeStatus} snapshot at scrape time.
 *
 * <p>The VIP state is one series per (interface, vhid, address, state): a VHID carrying an IPv4 and
 * an IPv6 address gives two distinct series per state, never two series with the same labels (the
 * duplicate-series bug OPNsense exporters hit by keying rows on interface and vhid alone). Properties
 * of the virtual host itself (advbase, advskew, demotion, last transition) are keyed by (interface,
 * vhid), so summing them over a dual-stack VHID does not count it twice. Drop counters exist at zero
 * for every decoder drop reason, so {@code rate()} and alerts see the first drop. Meters of VHIDs,
 * addresses, interfaces or demotion sources that disappear (reload, demotion cleared) are removed.
 */
public final class CarpdMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<NodeStatus> source;
    private final Map<MeterKey, Meter> snapshotMeters = new HashMap<>();
    private volatile Snapshot current = Snapshot.of(null);

    /** Identity of a snapshot meter, known before it is built (Micrometer warns on re-registration). */
    private record MeterKey(String name, Tags tags) {}

    /** Metrics of {@code plane}; {@code version} is published as {@code carpd_build_info{version}}. */
    public CarpdMetrics(ControlPlane plane, String version) {
        this(plane::status, version);
    }

    CarpdMetrics(Supplier<NodeStatus> source, String version) {
        this.source = source;
        Gauge.builder("carpd.build.info", () -> 1)
                .description("carpd build; the value is always 1")
                .tags("version", version, "java_version", Runtime.version().toString())
                .register(registry);
    }

    /** The registry, for meters of other modules (state sync, config sync). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Takes a fresh snapshot and renders every meter in the Prometheus text format 0.0.4. */
    public synchronized String scrape() {
        update(source.get());
        return registry.scrape();
    }

    private void update(NodeStatus status) {
        current = Snapshot.of(status);
        Set<MeterKey> wanted = new HashSet<>();
        new Registrar(wanted).registerAll(status);
        snapshotMeters.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) return false;
            registry.remove(e.getValue());
            return true;
        });
    }

    /** Registers (or keeps) the meters one snapshot calls for; each reads the then-current snapshot. */
    private final class Registrar {
        private final Set<MeterKey> wanted;

        Registrar(Set<MeterKey> wanted) {
            this.wanted = wanted;
        }

        void registerAll(NodeStatus s) {
            gauge("carpd.maintenance", null, "1 while persistent maintenance mode is on", Tags.empty(),
                    n -> n.status.maintenance() ? 1 : 0);
            gauge("carpd.disabled", null, "1 while CARP is disabled by the operator", Tags.empty(),
                    n -> n.status.disabled() ? 1 : 0);
            gauge("carpd.demotion.effective", null, "highest effective demotion of any VHID (0..255)",
                    Tags.empty(), n -> n.status.effectiveDemotion());
            s.demotion().forEach((group, sources) -> sources.keySet().forEach(src ->
                    gauge("carpd.demotion", null, "demotion contributed by one source to one group",
                            Tags.of("group", group, "source", src),
                            n -> n.demotion(group, src))));
            for (VipStatus v : s.vips()) registerVip(v);
            s.counters().interfaces().forEach(this::registerInterface);
            for (Counters.TransitionCount t : s.counters().transitions()) {
                Tags tags = vhidTags(t.iface(), t.vhid()).and("to", t.to().name(), "reason", t.reason());
                counter("carpd.transitions", "VHID state transitions by new state and reason", tags,
                        n -> n.transitions.getOrDefault(tags, Double.NaN));
            }
        }

        private void registerVip(VipStatus v) {
            String iface = v.iface();
            int vhid = v.vhid();
            Tags vhidTags = vhidTags(iface, vhid);
            for (String address : v.addresses()) {
                for (CarpState st : CarpState.values()) {
                    gauge("carpd.vip.state", null, "1 for the current CARP state of the VIP address, else 0",
                            vhidTags.and("address", address, "state", st.name()),
                            n -> n.vip(iface, vhid, x -> !x.addresses().contains(address) ? Double.NaN
                                    : x.state() == st ? 1 : 0));
                }
            }
            gauge("carpd.vip.advbase", "seconds", "advertisement base interval", vhidTags,
                    n -> n.vip(iface, vhid, VipStatus::advbase));
            gauge("carpd.vip.advskew", null, "configured advertisement skew", vhidTags,
                    n -> n.vip(iface, vhid, VipStatus::advskew));
            gauge("carpd.vip.advskew.advertised", null, "advertisement skew sent, raised by demotion", vhidTags,
                    n -> n.vip(iface, vhid, VipStatus::advertisedSkew));
            gauge("carpd.vip.demotion", null, "effective demotion applied to the VHID", vhidTags,
                    n -> n.vip(iface, vhid, VipStatus::demotion));
            if (v.lastTransition() != null) {
                gauge("carpd.vip.last.transition.timestamp", "seconds", "time of the VHID's last state change", vhidTags,
                        n -> n.vip(iface, vhid, x -> x.lastTransition() == null ? Double.NaN
                                : x.lastTransition().at().toEpochMilli() / 1000.0));
            }
        }

        private void registerInterface(String iface, Counters.InterfaceCounters c) {
            Tags tags = Tags.of("interface", iface);
            counter("carpd.adverts.sent", "CARP advertisements sent", tags,
                    n -> n.iface(iface, Counters.InterfaceCounters::advertsSent));
            counter("carpd.adverts.received", "valid CARP advertisements received", tags,
                    n -> n.iface(iface, Counters.InterfaceCounters::advertsReceived));
            counter("carpd.gratuitous.arp.sent", "gratuitous ARP packets sent", tags,
                    n -> n.iface(iface, Counters.InterfaceCounters::garpSent));
            counter("carpd.neighbor.adverts.sent", "unsolicited IPv6 neighbour advertisements sent", tags,
                    n -> n.iface(iface, Counters.InterfaceCounters::naSent));
            Set<String> reasons = new TreeSet<>(c.drops().keySet());
            for (DropReason r : DropReason.values()) reasons.add(r.label());
            reasons.forEach(reason ->
                    counter("carpd.packets.dropped", "received or sent packets dropped, by reason",
                            tags.and("reason", reason),
                            n -> n.iface(iface, x -> x.drops().getOrDefault(reason, 0L))));
        }

        private void gauge(String name, String unit, String help, Tags tags, ToDoubleFunction<Snapshot> fn) {
            MeterKey key = new MeterKey(name, tags);
            if (!wanted.add(key) || snapshotMeters.containsKey(key)) return;
            snapshotMeters.put(key, Gauge.builder(name, CarpdMetrics.this, m -> fn.applyAsDouble(m.current))
                    .baseUnit(unit).description(help).tags(tags).strongReference(true).register(registry));
        }

        private void counter(String name, String help, Tags tags, ToDoubleFunction<Snapshot> fn) {
            MeterKey key = new MeterKey(name, tags);
            if (!wanted.add(key) || snapshotMeters.containsKey(key)) return;
            snapshotMeters.put(key, FunctionCounter.builder(name, CarpdMetrics.this, m -> fn.applyAsDouble(m.current))
                    .description(help).tags(tags).register(registry));
        }
    }

    private static Tags vhidTags(String iface, int vhid) {
        return Tags.of("interface", iface, "vhid", Integer.toString(vhid));
    }

    /** One scrape's status, indexed for the meter functions. */
    private record Snapshot(NodeStatus status, Map<String, VipStatus> vips, Map<Tags, Double> transitions) {

        static Snapshot of(NodeStatus s) {
            if (s == null) return new Snapshot(null, Map.of(), Map.of());
            Map<String, VipStatus> vips = new HashMap<>();
            for (VipStatus v : s.vips()) vips.put(v.iface() + "/" + v.vhid(), v);
            Map<Tags, Double> transitions = new HashMap<>();
            for (Counters.TransitionCount t : s.counters().transitions()) {
                transitions.merge(vhidTags(t.iface(), t.vhid()).and("to", t.to().name(), "reason", t.reason()),
                        (double) t.count(), Double::sum);
            }
            return new Snapshot(s, vips, transitions);
        }

        double vip(String iface, int vhid, ToDoubleFunction<VipStatus> fn) {
            VipStatus v = vips.get(iface + "/" + vhid);
            return v == null ? Double.NaN : fn.applyAsDouble(v);
        }

        double iface(String iface, ToDoubleFunction<Counters.InterfaceCounters> fn) {
            Counters.InterfaceCounters c = status.counters().interfaces().get(iface);
            return c == null ? Double.NaN : fn.applyAsDouble(c);
        }

        double demotion(String group, String source) {
            Integer v = status.demotion().getOrDefault(group, Map.of()).get(source);
            return v == null ? Double.NaN : v;
        }
    }
}
