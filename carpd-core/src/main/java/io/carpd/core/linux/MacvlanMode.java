package io.carpd.core.linux;

/**
 * macvlan modes (IFLA_MACVLAN_MODE values) for virtual-MAC VIPs.
 *
 * <p>carpd uses {@link #BRIDGE}: with several VHIDs on one parent, each on its own macvlan, frames
 * between the siblings (broadcast ARP included) are delivered locally, whereas {@link #PRIVATE} drops
 * them and VEPA would need the switch to hair-pin them back, which most switches do not. The mode
 * never affects traffic between the parent and its macvlans (impossible in every mode) nor between
 * local addresses (routed over lo), and incoming frames from the wire reach the right macvlan by
 * destination MAC in every mode.
 */
public enum MacvlanMode {
    /** Siblings on the same parent never see each other's frames, not even hair-pinned by the switch. */
    PRIVATE(1),
    /** Siblings on the same parent exchange frames directly. carpd's choice (see above). */
    BRIDGE(4);

    private final int value;

    MacvlanMode(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
