package io.carpd.cli.lab;

/** The hosts of the reference deployment, each living in its own namespace. */
public enum LabNode {
    CLIENT("client"),
    FW1("fw1"),
    FW2("fw2"),
    SERVER("server"),
    SWITCH("sw");

    private final String label;

    LabNode(String label) {
        this.label = label;
    }

    /** Short name used in namespace names, file names and command arguments. */
    public String label() {
        return label;
    }

    public boolean isFirewall() {
        return this == FW1 || this == FW2;
    }

    /** The firewall named {@code label} ({@code fw1}/{@code fw2}); anything else is an error. */
    public static LabNode firewall(String label) {
        for (LabNode n : values()) {
            if (n.isFirewall() && n.label.equalsIgnoreCase(label)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no firewall node '" + label + "' (expected fw1 or fw2)");
    }

    public LabNode other() {
        return switch (this) {
            case FW1 -> FW2;
            case FW2 -> FW1;
            default -> throw new IllegalStateException(label + " has no peer firewall");
        };
    }
}
