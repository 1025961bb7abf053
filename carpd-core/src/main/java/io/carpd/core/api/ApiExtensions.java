package io.carpd.core.api;

/**
 * The optional parts of the control API that live in other modules. Each is null when the
 * configuration does not enable it; its endpoints then answer 404.
 *
 * @param stateSync  state sync ({@code /api/v1/sync}, {@code /api/v1/sync/resync}, {@code sync} in the status)
 * @param configSync config sync ({@code /api/v1/config-sync})
 */
public record ApiExtensions(SyncControl stateSync, ConfigSyncControl configSync) {

    /** Neither state sync nor config sync. */
    public static final ApiExtensions NONE = new ApiExtensions(null, null);
}
