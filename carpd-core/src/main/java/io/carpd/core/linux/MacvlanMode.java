package io.carpd.core.linux;

/** macvlan modes (IFLA_MACVLAN_MODE values) relevant to virtual-MAC VIPs. */
public enum MacvlanMode {
    /** Siblings on the same parent never see each other's frames, not even hair-pinned by the switch. */
    PRIVATE(1),
    /**
     * Siblings on the same parent exchange frames directly, so one VHID's macvlan can reach another's
     * (and broadcasts such as ARP reach all of them) without relying on the switch. carpd's default.
     */
    BRIDGE(4);

    private final int value;

    MacvlanMode(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
