package io.carpd.core.runtime;

import io.carpd.core.config.AnnounceConfig;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.NodeAction;
import io.carpd.core.election.VhAction;
import io.carpd.core.election.VhKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Performs the election's actions, strictly in the order returned (the core already orders a
 * takeover as VIPs, advert, announcements). Owns the per-VHID timer and announcement schedules.
 * Runs only on the event loop; a failing action is logged and counted and does not stop the rest.
 */
final class ActionExecutor {

    private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

    private final Map<VhKey, List<OwnedVip>> vips = new HashMap<>();
    private final AddressOps addresses;
    private final FrameOps frames;
    private AnnounceConfig announce;
    private final LoopScheduler scheduler;
    private final OwnedVips owned;
    private final EventHistory history;
    private final RuntimeCounters counters;
    private final Consumer<VhKey> onTimer;
    private final Consumer<List<NodeAction>> afterBatch;

    /** The most recent transition of a VHID, with the wall-clock time it was performed. */
    record LastTransition(CarpState from, CarpState to, String reason, Instant at) {}

    private final Map<VhKey, Cancellable> timers = new HashMap<>();
    private final Map<VhKey, LastTransition> lastTransitions = new HashMap<>();
    private final Map<VhKey, List<Cancellable>> announcements = new HashMap<>();

    /**
     * @param onTimer    called on the loop when a VHID's deadline passed
     * @param afterBatch gets the transitions and demotion changes of a batch once all of it was performed
     *                   (hooks run after the takeover: VIPs, advert and announcement come first)
     */
    ActionExecutor(AddressOps addresses, FrameOps frames, AnnounceConfig announce, LoopScheduler scheduler,
                   OwnedVips owned, EventHistory history, RuntimeCounters counters, Consumer<VhKey> onTimer,
                   Consumer<List<NodeAction>> afterBatch) {
        this.addresses = addresses;
        this.frames = frames;
        this.announce = announce;
        this.scheduler = scheduler;
        this.owned = owned;
        this.history = history;
        this.counters = counters;
        this.onTimer = onTimer;
        this.afterBatch = afterBatch;
    }

    /** Makes {@code key} known with the VIPs it takes as MASTER (start, reload). */
    void register(VhKey key, List<OwnedVip> hostVips) {
        vips.put(key, List.copyOf(hostVips));
    }

    /** Forgets {@code key} after its final actions ran (reload): its timer and announcements stop. */
    void unregister(VhKey key) {
        cancelTimer(key);
        stopAnnouncing(key);
        vips.remove(key);
        lastTransitions.remove(key);
    }

    /** Applies a reloaded announcement policy to announcements started from now on. */
    void announceWith(AnnounceConfig policy) {
        this.announce = policy;
    }

    void execute(List<NodeAction> actions) {
        List<NodeAction> notable = new ArrayList<>();
        for (NodeAction action : actions) {
            try {
                switch (action) {
                    case NodeAction.Host(VhKey key, VhAction a) -> {
                        execute(key, a);
                        if (a instanceof VhAction.Transition) notable.add(action);
                    }
                    case NodeAction.DemotionChanged d -> {
                        demotionChanged(d);
                        notable.add(action);
                    }
                }
            } catch (RuntimeException e) {
                log.error("failed to perform {}: {}", action, e.toString(), e);
            }
        }
        if (notable.isEmpty()) return;
        try {
            afterBatch.accept(notable);
        } catch (RuntimeException e) {
            log.error("after-action observer failed: {}", e.toString(), e);
        }
    }

    private void execute(VhKey key, VhAction action) {
        switch (action) {
            case VhAction.SendAdvert(var advert) -> frames.sendAdvert(key, advert);
            case VhAction.TakeAddresses() -> takeAddresses(key);
            case VhAction.ReleaseAddresses() -> releaseAddresses(key);
            case VhAction.Announce() -> startAnnouncing(key);
            case VhAction.Transition(var from, var to, var reason) -> transition(key, from, to, reason);
            case VhAction.ArmTimer(long at) -> armTimer(key, at);
            case VhAction.CancelTimer() -> cancelTimer(key);
        }
    }

    private void takeAddresses(VhKey key) {
        List<OwnedVip> list = vipsOf(key);
        owned.claim(list);
        try {
            addresses.activate(key);
        } catch (RuntimeException e) {
            counters.drop(key.iface(), "address_error");
            log.error("{}: cannot prepare the VIP interface: {}", key, e.getMessage());
        }
        for (OwnedVip vip : list) {
            try {
                if (!addresses.add(vip)) log.debug("{}: {} was already present", key, vip.cidr());
            } catch (RuntimeException e) {
                counters.drop(vip.iface(), "address_error");
                log.error("{}: cannot add {} to {}: {}", key, vip.cidr(), vip.iface(), e.getMessage());
            }
        }
    }

    private void releaseAddresses(VhKey key) {
        stopAnnouncing(key);
        List<OwnedVip> removed = new ArrayList<>();
        for (OwnedVip vip : vipsOf(key)) {
            try {
                addresses.delete(vip);
                removed.add(vip);
            } catch (RuntimeException e) {
                counters.drop(vip.iface(), "address_error");
                log.error("{}: cannot remove {} from {}: {}", key, vip.cidr(), vip.iface(), e.getMessage());
            }
        }
        owned.disown(removed);
        try {
            addresses.deactivate(key);
        } catch (RuntimeException e) {
            counters.drop(key.iface(), "address_error");
            log.error("{}: cannot retire the VIP interface: {}", key, e.getMessage());
        }
    }

    private void startAnnouncing(VhKey key) {
        stopAnnouncing(key);
        List<Cancellable> scheduled = new ArrayList<>();
        if (announce.count() > 0) frames.announce(key);
        long now = scheduler.nanoTime();
        long interval = announce.interval().toNanos();
        for (int round = 1; round < announce.count(); round++) {
            scheduled.add(scheduler.at(now + round * interval, () -> frames.announce(key)));
        }
        if (announce.refresh().isPositive()) {
            scheduled.add(scheduler.every(announce.refresh().toNanos(), () -> frames.announce(key)));
        }
        announcements.put(key, scheduled);
    }

    private void stopAnnouncing(VhKey key) {
        List<Cancellable> pending = announcements.remove(key);
        if (pending != null) pending.forEach(Cancellable::cancel);
    }

    private void transition(VhKey key, CarpState from, CarpState to, String reason) {
        if (to != CarpState.MASTER) stopAnnouncing(key);
        String line = key + ": " + from + " -> " + to + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        log.info(line);
        counters.transition(key, to, TransitionCause.category(reason));
        HistoryEvent event = history.record("transition", key.iface(), key.vhid(), line);
        lastTransitions.put(key, new LastTransition(from, to, reason, event.at()));
    }

    private void demotionChanged(NodeAction.DemotionChanged d) {
        String line = "demotion of group " + d.group() + " is now " + d.total()
                + (d.reason() == null || d.reason().isEmpty() ? "" : " (" + d.reason() + ")");
        log.info(line);
        history.record("demotion", null, 0, line);
    }

    private void armTimer(VhKey key, long atNanos) {
        cancelTimer(key);
        timers.put(key, scheduler.at(atNanos, () -> {
            timers.remove(key);
            onTimer.accept(key);
        }));
    }

    private void cancelTimer(VhKey key) {
        Cancellable previous = timers.remove(key);
        if (previous != null) previous.cancel();
    }

    /** Withdraws every timer and announcement schedule (after the final Stop actions). */
    void cancelAll() {
        timers.values().forEach(Cancellable::cancel);
        timers.clear();
        announcements.values().forEach(l -> l.forEach(Cancellable::cancel));
        announcements.clear();
    }

    /** The VHID's most recent transition, or null before its first. */
    LastTransition lastTransition(VhKey key) {
        return lastTransitions.get(key);
    }

    /** Removes every VIP still recorded as held, whichever VHID took it (last step of a stop). */
    void releaseAll() {
        List<OwnedVip> removed = new ArrayList<>();
        for (OwnedVip vip : owned.held()) {
            try {
                addresses.delete(vip);
                removed.add(vip);
            } catch (RuntimeException e) {
                counters.drop(vip.iface(), "address_error");
                log.error("cannot remove {} from {}: {}", vip.cidr(), vip.iface(), e.getMessage());
            }
        }
        owned.disown(removed);
    }

    /** VIPs recorded as held right now. */
    List<OwnedVip> ownedVips() {
        return owned.held();
    }

    private List<OwnedVip> vipsOf(VhKey key) {
        List<OwnedVip> list = vips.get(key);
        if (list == null) throw new IllegalStateException("no addresses configured for " + key);
        return list;
    }
}
