package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carpd.cli.Main;
import io.carpd.cli.monitoring.ReferencedMetrics;
import io.carpd.testing.Netns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Split brain seen over the sync link: with state sync up, CARP multicast is dropped in the LAN
 * bridge only, so both firewalls become MASTER of the LAN VHID (2) while the WAN VHID and the
 * sync link keep working. Both detect it (status JSON, {@code carpd status}, metrics, one log
 * line); once the drop is removed the split brain ends on both. Needs root and nft.
 */
class SplitBrainNetnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ELECTION = Duration.ofSeconds(45);
    private static final String LAN_METRIC = "carpd_split_brain{interface=\"lan\",vhid=\"2\"}";

    private Lab lab;

    @BeforeAll
    static void guard() {
        Netns.assumeAvailable();
        assertThat(Namespaces.tryRun(List.of("sh", "-c", "command -v nft"), null).ok()).as("nft is needed").isTrue();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) lab.close();
    }

    @Test
    void bothMasterForTheLanVhidIsDetectedOnBothNodesAndEndsWhenAdvertsFlowAgain() throws Exception {
        lab = LabFixture.create(LabProfile.reference().withStateSync());
        lab.startDaemons();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).as("fw1 holds both VIPs; %s", lab.status().render()).isTrue();
        assertThat(Lab.await(() -> inSync(LabNode.FW1) && inSync(LabNode.FW2), Duration.ofSeconds(30), Duration.ofMillis(200)))
                .as("both sides in sync").isTrue();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            assertThat(syncStatus(fw).path("split_brain")).as("%s before the drop", fw.label()).isEmpty();
            assertThat(lab.metrics(fw)).contains(LAN_METRIC + " 0.0");
        }

        lab.topology().dropCarpMulticast(Segment.LAN);
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            assertThat(Lab.await(() -> splitBrainVhids(fw).equals(List.of("lan/2")), Duration.ofSeconds(20), Duration.ofMillis(200)))
                    .as("%s reports a split brain on lan vhid 2 only; %s", fw.label(), syncStatus(fw)).isTrue();
            assertThat(lab.metrics(fw)).contains(LAN_METRIC + " 1.0")
                    .contains("carpd_split_brain{interface=\"wan\",vhid=\"1\"} 0.0")
                    .containsPattern("carpd_split_brains_total(\\{\\})? 1\\.0");
            assertThat(statusText(fw)).contains("SPLIT BRAIN: lan vhid 2 is MASTER on both nodes");
            assertThat(lab.logMatches(fw, Pattern.compile("SPLIT BRAIN: lan vhid 2"))).isTrue();
        }
        assertThat(ReferencedMetrics.referenced(ReferencedMetrics.SYNC_ONLY)).as("the dashboard and rules read sync metrics")
                .containsKeys("carpd_split_brain", "carpd_sync_rtt_seconds", "carpd_sync_states");
        assertThat(ReferencedMetrics.missing(ReferencedMetrics.SYNC_ONLY, Set.of(), lab.metrics(LabNode.FW1), lab.metrics(LabNode.FW2)))
                .as("sync metrics read by the dashboard or the rules that a daemon with state sync does not export").isEmpty();
        assertThat(lab.carpStates(LabNode.FW1).get(2)).isEqualTo("MASTER");
        assertThat(lab.carpStates(LabNode.FW2).get(2)).isEqualTo("MASTER");

        lab.topology().allowCarpMulticast();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            assertThat(Lab.await(() -> splitBrainVhids(fw).isEmpty(), Duration.ofSeconds(20), Duration.ofMillis(200)))
                    .as("%s: split brain over; %s", fw.label(), syncStatus(fw)).isTrue();
            assertThat(lab.metrics(fw)).contains(LAN_METRIC + " 0.0");
            assertThat(lab.awaitLog(fw, Pattern.compile("split brain over: lan vhid 2"), Duration.ofSeconds(5))).isTrue();
        }
    }

    private List<String> splitBrainVhids(LabNode fw) {
        JsonNode list = syncStatus(fw).path("split_brain");
        if (!list.isArray()) {
            return List.of("no split_brain field");
        }
        return java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .map(b -> b.path("iface").asText() + "/" + b.path("vhid").asInt()).toList();
    }

    private String statusText(LabNode fw) {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out))
                .execute("status", "--socket", lab.layout().controlSocket(fw).toString());
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    private boolean inSync(LabNode fw) {
        return syncStatus(fw).path("link").asText().equals("IN_SYNC");
    }

    private JsonNode syncStatus(LabNode fw) {
        try {
            return JSON.readTree(ControlSocketClient.get(lab.layout().controlSocket(fw), "/api/v1/sync"));
        } catch (IOException | RuntimeException e) {
            return JSON.createObjectNode().put("link", "unreachable: " + e.getMessage());
        }
    }
}
