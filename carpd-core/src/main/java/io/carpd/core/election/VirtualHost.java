package io.carpd.core.election;

import io.carpd.core.wire.Advertisement;
import io.carpd.core.wire.Family;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The CARP state machine of one VHID on one interface (spec §3, §4, §9), without I/O.
 *
 * <p>Shaped like quinn-proto's connection: getters; {@link #handle} for every input (network,
 * timers, link, demotion, operator), which returns the actions to perform in order. Every call that
 * changes a deadline ends with {@link VhAction.ArmTimer} (the earliest pending deadline) or
 * {@link VhAction.CancelTimer}; calls that change nothing return an empty list.
 *
 * <p>Method names follow OpenBSD's {@code ip_carp.c}: {@code carpInput*} for accepted adverts,
 * {@code carpMasterDown} for an expired master-down timer, {@code carpSendAd} for the advert,
 * {@code carpSetrun} for arming the deadlines of the current state.
 *
 * <p>"My" interval in every comparison is the advertised one: advbase plus the advskew after
 * folding in the demotion ({@link #advertisedSkew()}), which is what peers see. The master-down
 * timer uses the configured advskew, as FreeBSD does, so a demoted backup is not slower to notice a
 * dead master.
 *
 * <p>Not thread-safe: confine each instance to one thread (the runtime's event loop).
 */
public final class VirtualHost {

    /** The highest advskew demotion may fold in (FreeBSD's CARP_MAXSKEW). */
    static final int MAX_FOLDED_SKEW = 240;
    /** OpenBSD's bow-out advert: an interval no receiver can wait for. */
    static final int BOW_OUT = 255;

    private VirtualHostConfig cfg;
    private final long firstCounter;
    private long nextCounter;

    private CarpState state = CarpState.INIT;
    private boolean started;
    private boolean linkUp = true;
    private boolean disabled;
    private int demotion;
    private StateChange lastTransition;

    /** Per-family master-down deadlines while BACKUP (only the families the VHID has addresses in). */
    private final Map<Family, Deadline> masterDown = new EnumMap<>(Family.class);
    /** The next periodic advert while MASTER. */
    private final Deadline advertDue = new Deadline();

    /** One pending deadline; {@code since} is when it was started, for the "no advertisement for" reason. */
    private static final class Deadline {
        boolean armed;
        long at;
        long since;

        void arm(long now, long delay) {
            armed = true;
            since = now;
            at = now + delay;
        }

        boolean expired(long now) {
            return armed && now - at >= 0;
        }
    }

    /**
     * @param counterSeed seeds the random start of the advert counter (spec §4: random start, +1 per advert)
     */
    public VirtualHost(VirtualHostConfig cfg, long counterSeed) {
        this.cfg = cfg;
        this.firstCounter = new SplittableRandom(counterSeed).nextLong();
        this.nextCounter = firstCounter;
        if (cfg.hasInet()) masterDown.put(Family.INET, new Deadline());
        if (cfg.hasInet6()) masterDown.put(Family.INET6, new Deadline());
    }

    /**
     * Applies new parameters of the same VHID (reload) without leaving the current state, so that
     * changing an advskew does not cost a failover: a MASTER advertises the new values at once; a
     * BACKUP keeps counting silence from when it last heard each family, against the new
     * master-down. A family that appears starts its timer now; one that disappears drops it.
     *
     * @throws IllegalArgumentException if {@code newCfg} is for another VHID
     */
    public List<VhAction> reconfigure(VirtualHostConfig newCfg, long now) {
        if (newCfg.vhid() != cfg.vhid()) {
            throw new IllegalArgumentException("vhid " + cfg.vhid() + " cannot be reconfigured as vhid " + newCfg.vhid());
        }
        cfg = newCfg;
        boolean listening = state == CarpState.BACKUP;
        for (Family f : Family.values()) {
            boolean has = f == Family.INET ? cfg.hasInet() : cfg.hasInet6();
            if (!has) {
                masterDown.remove(f);
            } else if (!masterDown.containsKey(f)) {
                Deadline d = new Deadline();
                if (listening) d.arm(now, masterDownNanos());
                masterDown.put(f, d);
            }
        }
        List<VhAction> out = new ArrayList<>(3);
        switch (state) {
            case INIT -> { }
            case MASTER -> {
                out.add(carpSendAd());
                advertDue.arm(now, advertIntervalNanos());
                out.add(timerAction());
            }
            case BACKUP -> {
                for (Deadline d : masterDown.values()) {
                    long at = d.since + masterDownNanos();
                    d.armed = true;
                    d.at = at - now < 0 ? now : at;
                }
                out.add(timerAction());
            }
        }
        return out;
    }

    // ---- getters -------------------------------------------------------------------------------

    public VirtualHostConfig config() {
        return cfg;
    }

    public CarpState state() {
        return state;
    }

    /** The last state change, empty until the first one. */
    public Optional<StateChange> lastTransition() {
        return Optional.ofNullable(lastTransition);
    }

    /** The node demotion currently applying to this VHID (sent in the demote byte), 0..255. */
    public int demotion() {
        return demotion;
    }

    /**
     * The advskew put on the wire: the configured one plus the demotion, capped at 240 (spec §9).
     * Demotion never lowers it, so a configured advskew above 240 stays as configured.
     */
    public int advertisedSkew() {
        if (demotion == 0) return cfg.advskew();
        return Math.max(cfg.advskew(), Math.min(cfg.advskew() + demotion, MAX_FOLDED_SKEW));
    }

    /** The advert period as MASTER, following the advertised advskew. */
    public long advertIntervalNanos() {
        return CarpTimers.toNanos(CarpTimers.advertIntervalTicks(cfg.advbase(), advertisedSkew()));
    }

    /** The master-down interval as BACKUP, from the configured advskew. */
    public long masterDownNanos() {
        return CarpTimers.toNanos(CarpTimers.masterDownTicks(cfg));
    }

    /** Whether {@code counter} is one this VHID has sent: a looped-back own advert (spec §4). */
    public boolean sentCounter(long counter) {
        if (nextCounter == firstCounter) return false;
        return Long.compareUnsigned(counter - firstCounter, nextCounter - 1 - firstCounter) <= 0;
    }

    // ---- input ---------------------------------------------------------------------------------

    /** Feeds one event at monotonic time {@code now} (ns); returns the actions to perform in order. */
    public List<VhAction> handle(VhEvent event, long now) {
        List<VhAction> out = new ArrayList<>(6);
        switch (event) {
            case VhEvent.Start s -> onStart(now, out);
            case VhEvent.AdvertReceived r -> carpInput(r.family(), r.advert(), now, out);
            case VhEvent.TimerExpired t -> onTimer(now, out);
            case VhEvent.LinkChanged l -> onLink(l.up(), now, out);
            case VhEvent.DemotionChanged d -> onDemotion(d.demotion(), now, out);
            case VhEvent.Disabled d -> onDisabled(d.disabled(), now, out);
            case VhEvent.Stop s -> onStop(now, out);
        }
        return out;
    }

    private void onStart(long now, List<VhAction> out) {
        if (started) return;
        started = true;
        enterBackupIfRunnable("started", now, out);
    }

    private void onStop(long now, List<VhAction> out) {
        started = false;
        leaveToInit("stopped", now, out);
    }

    private void onLink(boolean up, long now, List<VhAction> out) {
        if (up == linkUp) return;
        linkUp = up;
        // No bow-out on link loss (spec §3.9): the frame could not leave anyway.
        if (!up) leaveToInit("link down", now, out);
        else enterBackupIfRunnable("link up", now, out);
    }

    private void onDisabled(boolean disable, long now, List<VhAction> out) {
        if (disable == disabled) return;
        disabled = disable;
        if (disable) leaveToInit("disabled", now, out);
        else enterBackupIfRunnable("enabled", now, out);
    }

    private void onDemotion(int newDemotion, long now, List<VhAction> out) {
        if (newDemotion < 0 || newDemotion > Demotion.MAX) {
            throw new IllegalArgumentException(this + ": demotion " + newDemotion + " is out of range 0.." + Demotion.MAX);
        }
        if (newDemotion == demotion) return;
        demotion = newDemotion;
        // Like a kernel demotion change on either BSD: MASTERs advertise the new values at once so
        // peers re-elect now instead of at the next period.
        if (state == CarpState.MASTER) {
            out.add(carpSendAd());
            advertDue.arm(now, advertIntervalNanos());
            out.add(timerAction());
        }
    }

    private void onTimer(long now, List<VhAction> out) {
        switch (state) {
            case INIT -> { }
            case MASTER -> {
                if (advertDue.expired(now)) {
                    out.add(carpSendAd());
                    advertDue.arm(now, advertIntervalNanos());
                }
                out.add(timerAction());
            }
            case BACKUP -> {
                Family expired = null;
                for (Map.Entry<Family, Deadline> e : masterDown.entrySet()) {
                    if (e.getValue().expired(now)) {
                        expired = e.getKey();
                        break;
                    }
                }
                if (expired != null) carpMasterDown(expired, now, out);
                else out.add(timerAction());
            }
        }
    }

    /** A master-down timer fired: nobody better is advertising in that family. */
    private void carpMasterDown(Family family, long now, List<VhAction> out) {
        long silent = now - masterDown.get(family).since;
        String which = masterDown.size() > 1 ? (family == Family.INET ? "IPv4 " : "IPv6 ") : "";
        becomeMaster("no " + which + "advertisement for " + CarpTimers.seconds(silent) + " s", now, out);
    }

    // ---- accepted adverts (spec §3.3, OpenBSD rules) -------------------------------------------

    private void carpInput(Family family, Advertisement ad, long now, List<VhAction> out) {
        if (ad.vhid() != cfg.vhid()) {
            throw new IllegalArgumentException("advert for vhid " + ad.vhid() + " routed to vhid " + cfg.vhid());
        }
        switch (state) {
            case INIT -> { } // not runnable: adverts are ignored (spec §3.1)
            case MASTER -> carpInputAsMaster(ad, now, out);
            case BACKUP -> carpInputAsBackup(family, ad, now, out);
        }
    }

    /** MASTER yields if {@code (his ≤ my AND hisD ≤ myD) OR hisD < myD}: equal intervals make it yield. */
    private void carpInputAsMaster(Advertisement ad, long now, List<VhAction> out) {
        int his = ad.intervalTicks();
        int my = myIntervalTicks();
        int hisD = ad.demote();
        int myD = demotion;
        if (hisD < myD) {
            becomeBackup("demoted (demote " + myD + ", master " + describe(ad) + ")", now, out);
        } else if (his < my && hisD <= myD) {
            becomeBackup("preempted by better master (" + describe(ad) + ")", now, out);
        } else if (his == my && hisD <= myD) {
            becomeBackup("yielded to master with equal interval (" + describe(ad) + ")", now, out);
        }
    }

    private void carpInputAsBackup(Family family, Advertisement ad, long now, List<VhAction> out) {
        int his = ad.intervalTicks();
        int my = myIntervalTicks();
        int hisD = ad.demote();
        int myD = demotion;
        String bowOut = ad.isBowOut() ? "bow-out received" : null;
        if (cfg.preempt() && his > my && hisD >= myD) {
            // Rule 1: preempt a worse (or more demoted) master.
            becomeMaster(bowOut != null ? bowOut : "preempting worse master (" + describe(ad) + ")", now, out);
        } else if (hisD > myD) {
            // Rule 2: a more demoted master is replaced even without preempt.
            becomeMaster(bowOut != null ? bowOut : "master is demoted (" + describe(ad) + ", our demote " + myD + ")", now, out);
        } else if (cfg.advbase() != 0 && masterWillTimeOutTicks() < his) {
            // Rule 3: his interval is longer than our master-down; waiting would only lose time.
            // Skipped at advbase 0 as OpenBSD does (spec §9).
            becomeMaster(bowOut != null ? bowOut : "master will time out (" + describe(ad) + ")", now, out);
        } else {
            // Rule 4: an acceptable master is alive in this family.
            Deadline d = masterDown.get(family);
            if (d != null) {
                d.arm(now, masterDownNanos());
                out.add(timerAction());
            }
        }
    }

    /** Rule 3's bound deadRatio·advbase + my advskew/256 in ticks (OpenBSD: 3·advbase). */
    private int masterWillTimeOutTicks() {
        return cfg.deadRatio() * cfg.advbase() * 256 + advertisedSkew();
    }

    /** My advertised (advbase, advskew) as one number of ticks; compared raw, as OpenBSD compares timevals. */
    private int myIntervalTicks() {
        return cfg.advbase() * 256 + advertisedSkew();
    }

    private static String describe(Advertisement ad) {
        return "advbase " + ad.advbase() + " advskew " + ad.advskew() + " demote " + ad.demote();
    }

    // ---- transitions (carp_set_state + carp_setrun) --------------------------------------------

    private void enterBackupIfRunnable(String reason, long now, List<VhAction> out) {
        if (state != CarpState.INIT || !started || !linkUp || disabled) return;
        transition(CarpState.BACKUP, reason, now, out);
        carpSetrunBackup(now);
        out.add(timerAction());
    }

    /**
     * Order of a takeover (architecture "Takeover order"): addresses first so the first advert
     * already points at a host that answers, then the advert, then ARP/NA, then the next deadline.
     */
    private void becomeMaster(String reason, long now, List<VhAction> out) {
        transition(CarpState.MASTER, reason, now, out);
        out.add(new VhAction.TakeAddresses());
        for (Deadline d : masterDown.values()) d.armed = false;
        out.add(carpSendAd());
        out.add(new VhAction.Announce());
        advertDue.arm(now, advertIntervalNanos());
        out.add(timerAction());
    }

    private void becomeBackup(String reason, long now, List<VhAction> out) {
        transition(CarpState.BACKUP, reason, now, out);
        out.add(new VhAction.ReleaseAddresses());
        advertDue.armed = false;
        carpSetrunBackup(now);
        out.add(timerAction());
    }

    /** Leave for INIT (stop, link down, disable). A MASTER leaving administratively bows out first. */
    private void leaveToInit(String reason, long now, List<VhAction> out) {
        if (state == CarpState.INIT) return;
        boolean wasMaster = state == CarpState.MASTER;
        if (wasMaster && linkUp) out.add(carpSendBowOut());
        transition(CarpState.INIT, reason, now, out);
        if (wasMaster) out.add(new VhAction.ReleaseAddresses());
        advertDue.armed = false;
        for (Deadline d : masterDown.values()) d.armed = false;
        out.add(timerAction());
    }

    /** BACKUP listens in every family it has; any family falling silent makes it MASTER (spec §3.2). */
    private void carpSetrunBackup(long now) {
        for (Deadline d : masterDown.values()) d.arm(now, masterDownNanos());
    }

    private void transition(CarpState to, String reason, long now, List<VhAction> out) {
        out.add(new VhAction.Transition(state, to, reason));
        lastTransition = new StateChange(state, to, reason, now);
        state = to;
    }

    private VhAction timerAction() {
        boolean any = false;
        long earliest = 0;
        if (advertDue.armed) {
            any = true;
            earliest = advertDue.at;
        }
        for (Deadline d : masterDown.values()) {
            if (d.armed && (!any || d.at - earliest < 0)) {
                any = true;
                earliest = d.at;
            }
        }
        return any ? new VhAction.ArmTimer(earliest) : new VhAction.CancelTimer();
    }

    // ---- adverts (carp_send_ad) ----------------------------------------------------------------

    private VhAction carpSendAd() {
        return new VhAction.SendAdvert(new Advertisement(cfg.vhid(), cfg.advbase(), advertisedSkew(), demotion, nextCounter++));
    }

    private VhAction carpSendBowOut() {
        return new VhAction.SendAdvert(new Advertisement(cfg.vhid(), BOW_OUT, BOW_OUT, demotion, nextCounter++));
    }

    @Override
    public String toString() {
        return "vhid " + cfg.vhid() + " (" + state + ")";
    }
}
