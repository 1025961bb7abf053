package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * keepalived (VRRP) for the comparison benchmark, timed like the CARP profile: priority
 * 256 − advskew (at most 254) gives the same master-down skew, and a sync group moves both
 * instances together as CARP's demotion does.
 */
final class KeepalivedConfigWriter {

    private KeepalivedConfigWriter() {}

    static void write(LabLayout layout, LabNode fw, LabProfile profile) {
        try {
            Files.createDirectories(layout.runtimeDir(fw));
            Files.writeString(config(layout, fw), config(fw, profile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keepalived.conf of " + fw.label(), e);
        }
    }

    static List<String> command(LabLayout layout, LabNode fw) {
        Path run = layout.runtimeDir(fw);
        return List.of("keepalived", "--dont-fork", "--log-console", "--log-detail", "--no-syslog", "--vrrp",
                "--use-file=" + config(layout, fw), "--pid=" + run.resolve("keepalived.pid"),
                "--vrrp_pid=" + run.resolve("vrrp.pid"));
    }

    static String config(LabNode fw, LabProfile profile) {
        boolean subSecond = profile.advbase() == 0;
        StringBuilder c = new StringBuilder();
        c.append("global_defs {\n  router_id ").append(fw.label()).append("\n}\n");
        c.append("vrrp_sync_group lab {\n  group {\n");
        for (LabVip vip : LabVip.values()) {
            c.append("    ").append(instance(vip)).append('\n');
        }
        c.append("  }\n}\n");
        for (LabVip vip : LabVip.values()) {
            c.append("vrrp_instance ").append(instance(vip)).append(" {\n");
            c.append("  state BACKUP\n");
            c.append("  interface ").append(vip.iface()).append('\n');
            c.append("  virtual_router_id ").append(vip.vhid()).append('\n');
            c.append("  priority ").append(Math.min(254, 256 - profile.advskew(fw))).append('\n');
            if (subSecond) {
                // VRRPv3 takes centisecond intervals; use the CARP master's advert period
                c.append("  version 3\n");
                c.append("  advert_int ").append(String.format(Locale.ROOT, "%.2f", v3AdvertInterval(profile))).append('\n');
            } else {
                c.append("  advert_int ").append(profile.advbase()).append('\n');
            }
            if (profile.unicastPeers()) {
                c.append("  unicast_src_ip ").append(Topology.address(fw, vip.segment())).append('\n');
                c.append("  unicast_peer {\n    ").append(Topology.address(fw.other(), vip.segment())).append("\n  }\n");
            }
            c.append("  virtual_ipaddress {\n    ").append(vip.cidr()).append(" dev ").append(vip.iface()).append("\n  }\n");
            c.append("}\n");
        }
        return c.toString();
    }

    /**
     * fw2's master-down interval under VRRP: 3 × advert_int + skew time, where the skew time is
     * (256 − priority)/256 s in VRRPv2 and (256 − priority) × advert_int/256 in VRRPv3.
     */
    static double masterDownSeconds(LabProfile profile) {
        int skew = 256 - Math.min(254, 256 - profile.fw2Advskew());
        if (profile.advbase() == 0) {
            double interval = v3AdvertInterval(profile);
            return 3 * interval + skew * interval / 256;
        }
        return 3.0 * profile.advbase() + skew / 256.0;
    }

    private static double v3AdvertInterval(LabProfile profile) {
        return Math.max(0.01, Math.round(profile.advertIntervalSeconds() * 100) / 100.0);
    }

    private static Path config(LabLayout layout, LabNode fw) {
        return layout.runtimeDir(fw).resolve("keepalived.conf");
    }

    private static String instance(LabVip vip) {
        return vip.segment().iface() + "_" + vip.vhid();
    }
}
