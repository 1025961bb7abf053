package io.carpd.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.core.metrics.CarpdMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The getVipStatus reply against the shape documented in spec/peers.md (b), field by field. */
class OpnsenseVipStatusTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> ROW_FIELDS = List.of(
            "interface", "vhid", "advbase", "advskew", "subnet", "status", "mode", "status_txt", "vhid_txt");

    @TempDir
    java.nio.file.Path dir;

    FakeControlPlane plane;
    ControlServer server;
    ControlClient client;

    @BeforeEach
    void start() throws IOException {
        plane = new FakeControlPlane();
        server = ControlServer.start(plane, new CarpdMetrics(plane, "t"), ControlServerSettings.unixOnly(dir.resolve("c.sock")));
        client = new ControlClient(server.socketPath());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode get(String path) throws IOException {
        var r = client.get(path);
        assertThat(r.status()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void envelopeAndRowsHaveOpnsenseFieldsInOrderWithStringNumbers() throws IOException {
        JsonNode r = get("/api/diagnostics/interface/getVipStatus");
        assertThat(fields(r)).containsExactly("total", "rowCount", "current", "rows", "carp");
        assertThat(r.get("total").isInt()).isTrue();
        assertThat(r.get("total").asInt()).isEqualTo(3);
        assertThat(r.get("rowCount").asInt()).isEqualTo(3);
        assertThat(r.get("current").asInt()).isEqualTo(1);
        JsonNode rows = r.get("rows");
        for (JsonNode row : rows) {
            assertThat(fields(row)).containsExactlyElementsOf(ROW_FIELDS);
            row.forEach(v -> assertThat(v.isTextual()).as("every row value is a string: %s", row).isTrue());
        }
        // One row per address: the dual-stack VHID gives two rows with the same interface and vhid.
        JsonNode v4 = rows.get(0), v6 = rows.get(1), wan = rows.get(2);
        assertThat(v4.get("interface").asText()).isEqualTo("lan");
        assertThat(v4.get("vhid").asText()).isEqualTo("2");
        assertThat(v4.get("advbase").asText()).isEqualTo("1");
        assertThat(v4.get("advskew").asText()).isEqualTo("0");
        assertThat(v4.get("subnet").asText()).isEqualTo("192.0.2.254");
        assertThat(v4.get("status").asText()).isEqualTo("MASTER");
        assertThat(v4.get("mode").asText()).isEqualTo("carp");
        assertThat(v4.get("status_txt").asText()).isEqualTo("MASTER");
        assertThat(v4.get("vhid_txt").asText()).isEqualTo("2 (freq. 1/0)");
        assertThat(v6.get("subnet").asText()).isEqualTo("2001:db8::254");
        assertThat(v6.get("vhid").asText()).isEqualTo("2");
        assertThat(wan.get("status").asText()).isEqualTo("BACKUP");
        assertThat(wan.get("advskew").asText()).isEqualTo("100");
        assertThat(wan.get("vhid_txt").asText()).isEqualTo("1 (freq. 1/100)");

        JsonNode carp = r.get("carp");
        assertThat(fields(carp)).containsExactly("demotion", "allow", "maintenancemode", "status_msg");
        assertThat(carp.get("demotion").isTextual()).isTrue();
        assertThat(carp.get("demotion").asText()).isEqualTo("0");
        assertThat(carp.get("allow").asText()).isEqualTo("1");
        assertThat(carp.get("maintenancemode").isBoolean()).isTrue();
        assertThat(carp.get("maintenancemode").asBoolean()).isFalse();
        assertThat(carp.get("status_msg").asText()).isEmpty();
    }

    @Test
    void snakeCaseAndCamelCasePathsAnswerTheSame() throws IOException {
        assertThat(get("/api/diagnostics/interface/get_vip_status")).isEqualTo(get("/api/diagnostics/interface/getVipStatus"));
        assertThat(client.post("/api/diagnostics/interface/get_vip_status", null).status()).isEqualTo(200);
    }

    @Test
    void maintenanceShowsDemotionWithoutProblemMessage() throws IOException {
        plane.setMaintenance(true);
        JsonNode carp = get("/api/diagnostics/interface/get_vip_status").get("carp");
        assertThat(carp.get("demotion").asText()).isEqualTo("240");
        assertThat(carp.get("maintenancemode").asBoolean()).isTrue();
        assertThat(carp.get("status_msg").asText()).isEmpty();
    }

    @Test
    void demotionOutsideMaintenanceExplainsTheProblem() throws IOException {
        plane.demotion.get("carp").put("link:wan", 240);
        JsonNode carp = get("/api/diagnostics/interface/get_vip_status").get("carp");
        assertThat(carp.get("demotion").asText()).isEqualTo("240");
        assertThat(carp.get("status_msg").asText()).isEqualTo(
                "CARP has detected a problem and this unit has been demoted to BACKUP status.<br />"
                        + "Check link status on all interfaces with configured CARP VIPs.");
    }

    @Test
    void disabledNodeShowsDisabledRowsAndAllowZero() throws IOException {
        plane.setDisabled(true);
        JsonNode r = get("/api/diagnostics/interface/get_vip_status");
        for (JsonNode row : r.get("rows")) {
            assertThat(row.get("status").asText()).isEqualTo("DISABLED");
            assertThat(row.get("status_txt").asText()).isEqualTo("DISABLED");
        }
        assertThat(r.get("carp").get("allow").asText()).isEqualTo("0");
    }

    @Test
    void noVipsGivesOpnsenseEmptyReply() throws IOException {
        plane.vips = List.of();
        assertThat(client.get("/api/diagnostics/interface/get_vip_status").body()).isEqualTo(
                "{\"total\":0,\"rowCount\":0,\"current\":1,\"rows\":[],\"carp\":{\"demotion\":\"0\",\"allow\":\"1\","
                        + "\"maintenancemode\":false,\"status_msg\":\"Could not locate any defined CARP interfaces.\"}}");
    }

    @Test
    void modeFilterKeepsOnlyListedModes() throws IOException {
        assertThat(get("/api/diagnostics/interface/get_vip_status?mode[]=ipalias").get("rows")).isEmpty();
        assertThat(get("/api/diagnostics/interface/get_vip_status?mode[]=carp").get("rows")).hasSize(3);
        var r = client.exchange("POST", "/api/diagnostics/interface/get_vip_status", "mode%5B%5D=ipalias");
        assertThat(JSON.readTree(r.body()).get("total").asInt()).isZero();
    }
}
