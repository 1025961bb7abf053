package io.carpd.core.api;

import java.util.List;

/**
 * Outcome of a configuration reload. When {@code ok} is false nothing was applied.
 *
 * @param ok       whether the new configuration is now in effect
 * @param errors   problems that prevented the reload (e.g. "carpd.yaml:12:5: vhids[1].vhid: ...")
 * @param warnings non-fatal remarks about the applied configuration
 * @param changes  human summary of what changed, e.g. "added vhid 3 on dmz"
 */
public record ReloadResult(boolean ok, List<String> errors, List<String> warnings, List<String> changes) {

    public ReloadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        changes = List.copyOf(changes);
        if (ok != errors.isEmpty()) throw new IllegalArgumentException("ok must be true exactly when there are no errors");
    }

    public static ReloadResult applied(List<String> changes, List<String> warnings) {
        return new ReloadResult(true, List.of(), warnings, changes);
    }

    public static ReloadResult refused(List<String> errors) {
        return new ReloadResult(false, errors, List.of(), List.of());
    }
}
