package io.carpd.core.hooks;

import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;
import java.util.List;
import java.util.Objects;

/**
 * Something hooks are run for. Each event knows the node role after it, so every hook sees
 * {@code CARPD_NODE_ROLE} consistent with the event even when the role changes again before the
 * hook runs.
 */
public sealed interface HookEvent {

    /** The value of {@code CARPD_EVENT} and the hook's first argument. */
    String name();

    /** The hook's second argument: the new state, role or demotion. */
    String newState();

    /** The node role once this event happened. */
    Role nodeRole();

    /**
     * A VHID changed state.
     *
     * @param vips      the VHID's addresses, in configuration order
     * @param demotion  the demotion applying to this VHID (0..255) when it changed state
     */
    record VhidTransition(VhKey key, List<IpPrefix> vips, CarpState from, CarpState to, String reason,
                          int demotion, Role nodeRole) implements HookEvent {
        public VhidTransition {
            Objects.requireNonNull(key, "key");
            vips = List.copyOf(vips);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            reason = Objects.requireNonNullElse(reason, "");
            Objects.requireNonNull(nodeRole, "nodeRole");
        }

        @Override
        public String name() {
            return "vhid";
        }

        @Override
        public String newState() {
            return to.name();
        }
    }

    /** The node's overall role changed; {@code reason} is that of the VHID transition that caused it. */
    record NodeRole(Role from, Role to, String reason) implements HookEvent {
        public NodeRole {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            reason = Objects.requireNonNullElse(reason, "");
        }

        @Override
        public String name() {
            return "node";
        }

        @Override
        public String newState() {
            return to.name();
        }

        @Override
        public Role nodeRole() {
            return to;
        }
    }

    /** The capped total of a demotion group changed from {@code previous} to {@code demotion}. */
    record DemotionChange(String group, int previous, int demotion, String reason, Role nodeRole) implements HookEvent {
        public DemotionChange {
            Objects.requireNonNull(group, "group");
            reason = Objects.requireNonNullElse(reason, "");
            Objects.requireNonNull(nodeRole, "nodeRole");
        }

        @Override
        public String name() {
            return "demotion";
        }

        @Override
        public String newState() {
            return Integer.toString(demotion);
        }
    }
}
