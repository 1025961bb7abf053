package io.carpd.cli.lab;

import io.carpd.core.election.CarpTimers;
import io.carpd.core.election.VirtualHostConfig;
import io.carpd.core.election.VirtualHostConfig.MasterDownFormula;
import java.util.Set;

/**
 * CARP parameters for the two lab firewalls.
 *
 * @param advbase       advertisement base interval in seconds (0 = sub-second, skew only)
 * @param fw1Advskew    fw1's skew (the preferred master)
 * @param fw2Advskew    fw2's skew
 * @param password      shared CARP password
 * @param fw2Password   fw2's password; differs from {@code password} only to provoke HMAC failures
 * @param unicastPeers  configure each VHID with the peer firewall's address instead of multicast
 * @param stateSync     configure state sync ({@code sync:}) on the SYNC link
 * @param syncKey       shared sync key
 * @param fw2SyncKey    fw2's sync key; differs from {@code syncKey} only to provoke MAC failures
 */
public record LabProfile(int advbase, int fw1Advskew, int fw2Advskew, String password, String fw2Password,
                         boolean unicastPeers, boolean stateSync, String syncKey, String fw2SyncKey) {

    public static final String DEFAULT_PASSWORD = "carplab-demo";
    /** CARP counts time in ticks of 1/256 s; dividing by a power of two keeps the seconds exact. */
    private static final double TICKS_PER_SECOND = 256.0;
    /** 32 bytes: the sync protocol needs at least 16. */
    public static final String DEFAULT_SYNC_KEY = "carplab-sync-key-0123456789abcde";

    /** A profile without state sync. */
    public LabProfile(int advbase, int fw1Advskew, int fw2Advskew, String password, String fw2Password,
                      boolean unicastPeers) {
        this(advbase, fw1Advskew, fw2Advskew, password, fw2Password, unicastPeers, false, DEFAULT_SYNC_KEY,
                DEFAULT_SYNC_KEY);
    }

    public LabProfile {
        if (advbase < 0 || advbase > 255) {
            throw new IllegalArgumentException("advbase " + advbase + " is out of range 0..255");
        }
        for (int skew : new int[] {fw1Advskew, fw2Advskew}) {
            if (skew < 0 || skew > 254) {
                throw new IllegalArgumentException("advskew " + skew + " is out of range 0..254");
            }
        }
        if (password == null || password.isEmpty() || fw2Password == null || fw2Password.isEmpty()) {
            throw new IllegalArgumentException("CARP passwords must not be empty");
        }
        if (syncKey == null || syncKey.length() < 16 || fw2SyncKey == null || fw2SyncKey.length() < 16) {
            throw new IllegalArgumentException("sync keys must have at least 16 characters");
        }
    }

    /** The reference deployment: advbase 1, fw1 advskew 0, fw2 advskew 100, multicast. */
    public static LabProfile reference() {
        return new LabProfile(1, 0, 100, DEFAULT_PASSWORD, DEFAULT_PASSWORD, false);
    }

    public LabProfile withUnicastPeers() {
        return new LabProfile(advbase, fw1Advskew, fw2Advskew, password, fw2Password, true, stateSync, syncKey, fw2SyncKey);
    }

    public LabProfile withFw2Password(String wrong) {
        return new LabProfile(advbase, fw1Advskew, fw2Advskew, password, wrong, unicastPeers, stateSync, syncKey, fw2SyncKey);
    }

    /** State sync between the firewalls over the SYNC link. */
    public LabProfile withStateSync() {
        return new LabProfile(advbase, fw1Advskew, fw2Advskew, password, fw2Password, unicastPeers, true, syncKey, fw2SyncKey);
    }

    /** State sync with a different key on fw2: the link never authenticates. */
    public LabProfile withFw2SyncKey(String wrong) {
        return new LabProfile(advbase, fw1Advskew, fw2Advskew, password, fw2Password, unicastPeers, true, syncKey, wrong);
    }

    public String syncKey(LabNode fw) {
        return fw == LabNode.FW1 ? syncKey : fw2SyncKey;
    }

    public int advskew(LabNode fw) {
        return fw == LabNode.FW1 ? fw1Advskew : fw2Advskew;
    }

    public String password(LabNode fw) {
        return fw == LabNode.FW1 ? password : fw2Password;
    }

    /**
     * Seconds fw2 waits after fw1's last advert before taking over: the protocol floor of a hard
     * failover, by carpd's own formula for the lab config (dead_ratio 3, classic master-down:
     * 3 × advbase + advskew/256; with advbase 0, 3 × advskew/256; never below 3/256 s).
     */
    public double masterDownSeconds() {
        VirtualHostConfig fw2 = new VirtualHostConfig(1, advbase, fw2Advskew, true, 3, MasterDownFormula.CLASSIC,
                true, false, Set.of());
        return CarpTimers.masterDownTicks(fw2) / TICKS_PER_SECOND;
    }

    /** Advert period of the master (fw1). */
    public double advertIntervalSeconds() {
        return CarpTimers.advertIntervalTicks(advbase, fw1Advskew) / TICKS_PER_SECOND;
    }
}
