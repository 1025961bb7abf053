package io.carpd.core.config;

import java.util.Locale;

/** Which MAC address answers for the VIPs. */
public enum MacMode {
    /** VIPs live on the NIC itself and are announced with the NIC's MAC (default). */
    INTERFACE,
    /** A macvlan with the CARP virtual MAC 00:00:5e:00:01:VHID carries the VIPs. */
    VIRTUAL;

    /** The spelling used in the YAML file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
