package io.carpd.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carpd.core.election.CarpState;
import java.util.Set;

/**
 * The reply of OPNsense's {@code /api/diagnostics/interface/get_vip_status}, built from a carpd
 * snapshot so that existing exporters, dashboards and Zabbix templates work unchanged
 * (shape: spec/peers.md (b)). One row per address; numbers as strings, like OPNsense.
 * The {@code interface} column carries carpd's interface name (carpd has no descriptions).
 */
final class OpnsenseVipStatus {

    static final String NO_CARP = "Could not locate any defined CARP interfaces.";
    static final String DEMOTED = "CARP has detected a problem and this unit has been demoted to BACKUP status."
            + "<br />" + "Check link status on all interfaces with configured CARP VIPs.";

    private OpnsenseVipStatus() {}

    /** @param modes the {@code mode[]} filter of the request; empty = every row */
    static ObjectNode of(NodeStatus s, Set<String> modes) {
        ArrayNode rows = ApiJson.MAPPER.createArrayNode();
        if (modes.isEmpty() || modes.contains("carp")) {
            for (VipStatus v : s.vips()) {
                String status = s.disabled() ? "DISABLED" : v.state().name();
                for (String cidr : v.addresses()) {
                    ObjectNode row = rows.addObject();
                    row.put("interface", v.iface());
                    row.put("vhid", Integer.toString(v.vhid()));
                    row.put("advbase", Integer.toString(v.advbase()));
                    row.put("advskew", Integer.toString(v.advskew()));
                    row.put("subnet", withoutPrefix(cidr));
                    row.put("status", status);
                    row.put("mode", "carp");
                    row.put("status_txt", statusText(status));
                    row.put("vhid_txt", v.vhid() + " (freq. " + v.advbase() + "/" + v.advskew() + ")");
                }
            }
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("total", rows.size());
        out.put("rowCount", rows.size());
        out.put("current", 1);
        out.set("rows", rows);
        ObjectNode carp = out.putObject("carp");
        carp.put("demotion", Integer.toString(s.effectiveDemotion()));
        carp.put("allow", s.disabled() ? "0" : "1");
        carp.put("maintenancemode", s.maintenance());
        carp.put("status_msg", statusMessage(s));
        return out;
    }

    private static String statusText(String status) {
        for (CarpState st : CarpState.values()) if (st.name().equals(status)) return status;
        return "DISABLED";
    }

    private static String statusMessage(NodeStatus s) {
        if (s.vips().isEmpty()) return NO_CARP;
        if (s.effectiveDemotion() != 0 && !s.maintenance()) return DEMOTED;
        return "";
    }

    private static String withoutPrefix(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }
}
