package io.carpd.core.election;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * All virtual hosts of one node plus its {@link Demotion} counters, without I/O: routes
 * {@link NodeEvent}s to the right {@link VirtualHost} and turns node-wide events (link loss,
 * demotion, disable, stop) into per-host events.
 *
 * <p>Link loss on an interface puts that interface's VHIDs in INIT and raises demotion source
 * ("carp", "link:&lt;iface&gt;") by {@link Demotion#LINK_DOWN}, so every other VHID of the node
 * advertises at once as demoted and the peer takes all VIPs, as OpenBSD's group demotion intends:
 * a firewall that lost one leg should not keep routing for the others.
 *
 * <p>Not thread-safe: confine it to the runtime's event loop, like the hosts it owns.
 */
public final class CarpNode {

    /** One virtual host to run; {@code key.vhid()} must equal {@code cfg.vhid()}. */
    public record VhostSpec(VhKey key, VirtualHostConfig cfg) {
        public VhostSpec {
            if (key.vhid() != cfg.vhid()) {
                throw new IllegalArgumentException(key + ": config is for vhid " + cfg.vhid());
            }
        }
    }

    private final Map<VhKey, VirtualHost> hosts = new LinkedHashMap<>();
    private final Demotion demotion = new Demotion();
    /** Interfaces reported without carrier (also those without VHIDs yet, for a later addHost). */
    private final Set<String> downLinks = new HashSet<>();
    private final SplittableRandom counterSeeds;
    private boolean started;
    private boolean disabled;

    /** @param seed seeds the advert counters of the hosts (spec §4: random start per VHID) */
    public CarpNode(List<VhostSpec> specs, long seed) {
        this.counterSeeds = new SplittableRandom(seed);
        for (VhostSpec spec : specs) {
            if (hosts.containsKey(spec.key())) throw new IllegalArgumentException(spec.key() + " is configured twice");
            hosts.put(spec.key(), new VirtualHost(spec.cfg(), counterSeeds.nextLong()));
        }
    }

    // ---- getters -------------------------------------------------------------------------------

    /** @throws IllegalArgumentException if {@code key} is not configured */
    public CarpState state(VhKey key) {
        return host(key).state();
    }

    /** @throws IllegalArgumentException if {@code key} is not configured */
    public VirtualHost host(VhKey key) {
        VirtualHost h = hosts.get(key);
        if (h == null) throw new IllegalArgumentException("no " + key + " configured");
        return h;
    }

    /** All hosts in configuration order (read-only view). */
    public Map<VhKey, VirtualHost> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    /** Snapshot of the demotion counters: group → source → value. */
    public Map<String, Map<String, Integer>> demotion() {
        return demotion.snapshot();
    }

    public boolean disabled() {
        return disabled;
    }

    // ---- input ---------------------------------------------------------------------------------

    /**
     * Feeds one event at monotonic time {@code now} (ns); returns the actions to perform in order.
     *
     * @throws IllegalArgumentException for an invalid {@link NodeEvent.SetDemotion} (names what is wrong)
     */
    public List<NodeAction> handle(NodeEvent event, long now) {
        List<NodeAction> out = new ArrayList<>();
        switch (event) {
            case NodeEvent.Start s -> {
                started = true;
                hosts.forEach((k, h) -> feed(k, h, new VhEvent.Start(), now, out));
            }
            case NodeEvent.AdvertReceived r -> {
                // Unknown VHIDs are dropped (and counted) by the decoder before they get here.
                VhKey key = new VhKey(r.iface(), r.advert().vhid());
                VirtualHost h = hosts.get(key);
                if (h != null) feed(key, h, new VhEvent.AdvertReceived(r.family(), r.advert()), now, out);
            }
            case NodeEvent.TimerExpired t -> {
                VirtualHost h = hosts.get(t.key());
                if (h != null) feed(t.key(), h, new VhEvent.TimerExpired(), now, out);
            }
            case NodeEvent.LinkChanged l -> onLink(l.iface(), l.up(), now, out);
            case NodeEvent.SetDemotion d -> setDemotion(d.group(), d.source(), d.value(), now, out);
            case NodeEvent.SetDisabled d -> {
                disabled = d.disabled();
                hosts.forEach((k, h) -> feed(k, h, new VhEvent.Disabled(d.disabled()), now, out));
            }
            case NodeEvent.Stop s -> {
                started = false;
                hosts.forEach((k, h) -> feed(k, h, new VhEvent.Stop(), now, out));
            }
        }
        return out;
    }

    /**
     * Adds a VHID at runtime (reload). It inherits the node's link, demotion, disable and started
     * state, so a started node returns the host's Start actions (silent BACKUP).
     */
    public List<NodeAction> addHost(VhostSpec spec, long now) {
        if (hosts.containsKey(spec.key())) throw new IllegalArgumentException(spec.key() + " is already configured");
        VirtualHost h = new VirtualHost(spec.cfg(), counterSeeds.nextLong());
        hosts.put(spec.key(), h);
        List<NodeAction> out = new ArrayList<>();
        String iface = spec.key().iface();
        if (downLinks.contains(iface)) feed(spec.key(), h, new VhEvent.LinkChanged(false), now, out);
        if (disabled) feed(spec.key(), h, new VhEvent.Disabled(true), now, out);
        // The first host on a dead interface now makes that link count for demotion.
        syncLinkDemotion(iface, now, out);
        feed(spec.key(), h, new VhEvent.DemotionChanged(demotion.effective(spec.cfg().groups())), now, out);
        if (started) feed(spec.key(), h, new VhEvent.Start(), now, out);
        return out;
    }

    /**
     * Changes the parameters of a configured VHID (reload) in place, keeping its state; see
     * {@link VirtualHost#reconfigure}. A change of groups applies their demotion at once.
     */
    public List<NodeAction> updateHost(VhostSpec spec, long now) {
        VirtualHost h = host(spec.key());
        List<NodeAction> out = new ArrayList<>();
        for (VhAction a : h.reconfigure(spec.cfg(), now)) out.add(new NodeAction.Host(spec.key(), a));
        feed(spec.key(), h, new VhEvent.DemotionChanged(demotion.effective(spec.cfg().groups())), now, out);
        return out;
    }

    /** Removes a VHID (reload): a MASTER bows out and releases its addresses first. */
    public List<NodeAction> removeHost(VhKey key, long now) {
        VirtualHost h = host(key);
        List<NodeAction> out = new ArrayList<>();
        feed(key, h, new VhEvent.Stop(), now, out);
        hosts.remove(key);
        syncLinkDemotion(key.iface(), now, out);
        return out;
    }

    // ---- node-wide events ----------------------------------------------------------------------

    private void onLink(String iface, boolean up, long now, List<NodeAction> out) {
        boolean changed = up ? downLinks.remove(iface) : downLinks.add(iface);
        if (!changed) return;
        // First the hosts on the link (INIT, or back to silent BACKUP), then the node-wide demotion
        // that makes the node's MASTERs elsewhere advertise as demoted.
        hosts.forEach((k, h) -> {
            if (k.iface().equals(iface)) feed(k, h, new VhEvent.LinkChanged(up), now, out);
        });
        syncLinkDemotion(iface, now, out);
    }

    /** The link source counts only while the interface is down and carries at least one VHID. */
    private void syncLinkDemotion(String iface, long now, List<NodeAction> out) {
        boolean used = hosts.keySet().stream().anyMatch(k -> k.iface().equals(iface));
        int value = used && downLinks.contains(iface) ? Demotion.LINK_DOWN : 0;
        setDemotion(Demotion.CARP_GROUP, Demotion.linkSource(iface), value, now, out);
    }

    private void setDemotion(String group, String source, int value, long now, List<NodeAction> out) {
        int previous = demotion.get(group, source);
        if (!demotion.set(group, source, value)) return;
        String reason = value == 0 ? source + " cleared (was " + previous + ")" : source + " set to " + value;
        out.add(new NodeAction.DemotionChanged(group, demotion.total(group), reason));
        hosts.forEach((k, h) -> {
            int effective = demotion.effective(h.config().groups());
            if (effective != h.demotion()) feed(k, h, new VhEvent.DemotionChanged(effective), now, out);
        });
    }

    private static void feed(VhKey key, VirtualHost h, VhEvent e, long now, List<NodeAction> out) {
        for (VhAction a : h.handle(e, now)) out.add(new NodeAction.Host(key, a));
    }
}
