package io.carpd.pfsync.wire;

/** Why an inbound frame was rejected; every rejection is counted under one of these. */
public enum FrameDrop {
    TRUNCATED("truncated"),
    BAD_MAGIC("bad_magic"),
    BAD_LENGTH("bad_length"),
    BAD_MAC("bad_mac"),
    HELLO_EXPECTED("hello_expected"),
    UNEXPECTED_HELLO("unexpected_hello"),
    NO_COMMON_VERSION("no_common_version"),
    WRONG_VERSION("wrong_version"),
    SELF("self"),
    REPLAYED("replayed"),
    SEQUENCE_GAP("sequence_gap"),
    MALFORMED_RECORD("malformed_record");

    private final String label;

    FrameDrop(String label) {
        this.label = label;
    }

    /** snake_case name for metrics and logs. */
    public String label() {
        return label;
    }
}
