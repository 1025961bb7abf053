package io.carpd.pfsync.config;

/** What a node says about itself in config sync; both sides must run the same versions. */
public record NodeIdentity(String node, String carpdVersion, int schemaVersion) {

    /** Why a sync between us and {@code peer} must not happen, naming both sides; null when they match. */
    public String mismatch(NodeIdentity peer) {
        if (carpdVersion.equals(peer.carpdVersion) && schemaVersion == peer.schemaVersion) {
            return null;
        }
        return "version mismatch: " + peer.describe() + ", " + describe()
                + "; run the same carpd version on both nodes before syncing config";
    }

    public String describe() {
        return node + " runs carpd " + carpdVersion + " (config schema " + schemaVersion + ")";
    }
}
