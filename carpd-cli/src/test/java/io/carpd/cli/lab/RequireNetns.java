package io.carpd.cli.lab;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Guard for tests that build namespaces: skipped when not root, but failing when the system
 * property {@code carpd.requireNetns=true} says the run must exercise them (CI).
 */
final class RequireNetns {

    private RequireNetns() {}

    static void check() {
        if (Namespaces.runningAsRoot()) {
            return;
        }
        String why = "network namespace tests need root";
        if (Boolean.getBoolean("carpd.requireNetns")) {
            fail(why + " and carpd.requireNetns=true");
        }
        Assumptions.abort(why);
    }
}
