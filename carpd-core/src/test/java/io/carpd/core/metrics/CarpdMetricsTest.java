package io.carpd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpd.core.api.Counters;
import io.carpd.core.api.FakeControlPlane;
import io.carpd.core.api.VipStatus;
import io.carpd.core.election.CarpState;
import io.carpd.core.wire.DropReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarpdMetricsTest {

    @TempDir
    Path dir;

    final FakeControlPlane plane = new FakeControlPlane();
    final CarpdMetrics metrics = new CarpdMetrics(plane, "1.2.3");

    static List<String> samples(String text) {
        return text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The value of the single sample whose line starts with {@code series} followed by a space. */
    static double value(String text, String series) {
        List<String> hits = samples(text).stream().filter(l -> l.startsWith(series + " ")).toList();
        assertThat(hits).as("exactly one sample %s", series).hasSize(1);
        return Double.parseDouble(hits.getFirst().substring(series.length() + 1));
    }

    @Test
    void everySeriesIsUniqueAlsoForADualStackVhid() {
        String text = metrics.scrape();
        Set<String> seen = new HashSet<>();
        for (String s : samples(text)) {
            String series = s.substring(0, s.lastIndexOf(' '));
            assertThat(seen.add(series)).as("duplicate series %s", series).isTrue();
        }
        // lan/2 has an IPv4 and an IPv6 address: one state series per address and state ...
        assertThat(samples(text).stream().filter(l -> l.startsWith("carpd_vip_state{") && l.contains("interface=\"lan\"")))
                .hasSize(2 * CarpState.values().length);
        // ... but the virtual host's own properties stay one series per VHID.
        assertThat(samples(text).stream().filter(l -> l.startsWith("carpd_vip_advskew{") && l.contains("interface=\"lan\"")))
                .hasSize(1);
    }

    @Test
    void valuesFollowTheSnapshot() {
        String text = metrics.scrape();
        for (String address : List.of("192.0.2.254/24", "2001:db8::254/64")) {
            String lan = "carpd_vip_state{address=\"" + address + "\",interface=\"lan\",state=\"";
            assertThat(value(text, lan + "MASTER\",vhid=\"2\"}")).isEqualTo(1);
            assertThat(value(text, lan + "BACKUP\",vhid=\"2\"}")).isEqualTo(0);
            assertThat(value(text, lan + "INIT\",vhid=\"2\"}")).isEqualTo(0);
        }
        assertThat(value(text, "carpd_vip_state{address=\"203.0.113.4/28\",interface=\"wan\",state=\"BACKUP\",vhid=\"1\"}"))
                .isEqualTo(1);
        assertThat(value(text, "carpd_vip_advbase_seconds{interface=\"lan\",vhid=\"2\"}")).isEqualTo(1);
        assertThat(value(text, "carpd_vip_advskew{interface=\"wan\",vhid=\"1\"}")).isEqualTo(100);
        assertThat(value(text, "carpd_vip_last_transition_timestamp_seconds{interface=\"lan\",vhid=\"2\"}"))
                .isEqualTo(FakeControlPlane.T0.getEpochSecond());
        assertThat(value(text, "carpd_adverts_sent_total{interface=\"lan\"}")).isEqualTo(120);
        assertThat(value(text, "carpd_adverts_received_total{interface=\"wan\"}")).isEqualTo(118);
        assertThat(value(text, "carpd_packets_dropped_total{interface=\"lan\",reason=\"bad_hmac\"}")).isEqualTo(2);
        assertThat(value(text, "carpd_packets_dropped_total{interface=\"wan\",reason=\"bad_hmac\"}")).isEqualTo(0);
        assertThat(value(text, "carpd_gratuitous_arp_sent_total{interface=\"lan\"}")).isEqualTo(3);
        assertThat(value(text, "carpd_neighbor_adverts_sent_total{interface=\"lan\"}")).isEqualTo(3);
        assertThat(value(text, "carpd_transitions_total{interface=\"lan\",reason=\"master_down\",to=\"MASTER\",vhid=\"2\"}")).isEqualTo(1);
        assertThat(value(text, "carpd_maintenance")).isEqualTo(0);
        assertThat(text).contains("carpd_build_info{").contains("version=\"1.2.3\"");

        plane.setMaintenance(true);
        plane.setDemotion("carp", 10);
        String after = metrics.scrape();
        assertThat(value(after, "carpd_maintenance")).isEqualTo(1);
        assertThat(value(after, "carpd_demotion_effective")).isEqualTo(250);
        assertThat(value(after, "carpd_demotion{group=\"carp\",source=\"maintenance\"}")).isEqualTo(240);
        assertThat(value(after, "carpd_demotion{group=\"carp\",source=\"operator\"}")).isEqualTo(10);
    }

    @Test
    void seriesOfRemovedVhidsAndSourcesDisappear() {
        plane.setDemotion("carp", 10);
        assertThat(metrics.scrape()).contains("interface=\"wan\"").contains("source=\"operator\"");
        VipStatus lan = plane.vips.getFirst();
        plane.vips = List.of(lan);
        plane.counters = Counters.empty();
        plane.setDemotion("carp", 0);
        String text = metrics.scrape();
        assertThat(text).doesNotContain("interface=\"wan\"").doesNotContain("source=\"operator\"");
        assertThat(text).contains("carpd_vip_state{address=\"192.0.2.254/24\",interface=\"lan\"");
    }

    @Test
    void seriesOfAnAddressRemovedFromItsVhidDisappear() {
        assertThat(metrics.scrape()).contains("address=\"2001:db8::254/64\"");
        VipStatus lan = plane.vips.getFirst();
        plane.vips = List.of(new VipStatus(lan.iface(), lan.vhid(), lan.state(), lan.advbase(), lan.advskew(),
                lan.advertisedSkew(), lan.demotion(), List.of("192.0.2.254/24"), lan.groups(), lan.lastTransition()));
        String text = metrics.scrape();
        assertThat(text).doesNotContain("2001:db8::254").contains("address=\"192.0.2.254/24\"");
    }

    @Test
    void everyDecoderDropReasonIsCountedFromZeroOnEveryInterface() {
        String text = metrics.scrape();
        for (String iface : List.of("lan", "wan")) {
            for (DropReason r : DropReason.values()) {
                String series = "carpd_packets_dropped_total{interface=\"" + iface + "\",reason=\"" + r.label() + "\"}";
                assertThat(value(text, series)).as(series)
                        .isEqualTo((double) plane.counters.interfaces().get(iface).drops().getOrDefault(r.label(), 0L));
            }
        }
    }

    @Test
    void promtoolAcceptsTheOutput() throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool),
                "promtool not installed (Debian package 'prometheus'); skipping the exposition-format check");
        Path out = Files.writeString(dir.resolve("metrics.txt"), metrics.scrape());
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(out.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String report = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as("promtool check metrics: %s", report).isZero();
        assertThat(report).as("promtool lint findings").isBlank();
    }
}
