package io.carpd.cli.lab;

import java.util.List;

/**
 * Which daemon moves the lab's VIPs: carpd itself, or for comparison Debian's ucarp or
 * keepalived (VRRP), configured for the same timing and addresses.
 */
public enum DaemonKind {
    CARPD,
    UCARP,
    KEEPALIVED;

    /** Writes the firewall's config/script files for this daemon under the lab directory. */
    public void writeFiles(LabLayout layout, LabNode fw, LabProfile profile) {
        switch (this) {
            case CARPD -> NodeConfigWriter.write(layout, fw, profile);
            case UCARP -> UcarpSetup.write(layout, fw, profile);
            case KEEPALIVED -> KeepalivedConfigWriter.write(layout, fw, profile);
        }
    }

    /** The command line(s) to run inside the firewall's namespace. */
    public List<List<String>> commands(LabLayout layout, LabNode fw, LabProfile profile, CarpdLauncher launcher) {
        return switch (this) {
            case CARPD -> List.of(launcher.command(List.of("run", "-c", layout.config(fw).toString())));
            case UCARP -> UcarpSetup.commands(layout, fw, profile);
            case KEEPALIVED -> List.of(KeepalivedConfigWriter.command(layout, fw));
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
