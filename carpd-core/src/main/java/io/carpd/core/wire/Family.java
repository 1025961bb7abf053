package io.carpd.core.wire;

/** Address family of an advertisement: CARP runs one master-down timer per family. */
public enum Family {
    INET,
    INET6
}
