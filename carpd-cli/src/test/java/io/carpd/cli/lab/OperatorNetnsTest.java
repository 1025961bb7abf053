package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator verbs against two real daemons in the namespace lab (issue #4): maintenance,
 * demotion, disable/enable, reload, and the zero-downtime upgrade procedure. One lab is shared by
 * the class and reset between tests (fw1 sole owner, nothing demoted). Reference timing: advbase 1,
 * fw1 advskew 0, fw2 advskew 100, so a hard failover waits a master-down of 3.39 s; planned
 * handovers must be far quicker than that. Needs root.
 */
class OperatorNetnsTest extends SharedLabTest {

    /** What a planned handover may take: a protocol margin below master-down (3 s + skew), not a perf figure. */
    private static final Duration HANDOVER = Duration.ofSeconds(1);
    /** A preempting backup waits for the master's next advert (advbase 1 s); generous for a loaded machine. */
    private static final Duration PREEMPT = Duration.ofSeconds(6);
    /** Master-down plus detection and address changes, with room for a loaded machine. */
    private static final Duration TAKEOVER = Duration.ofSeconds(12);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRANSITION = Pattern.compile("vhid (\\d+) on \\w+: (INIT|BACKUP|MASTER) -> (INIT|BACKUP|MASTER)");

    @Test
    void maintenanceMovesAllVipsAtOnceSurvivesRestartAndFailsBackWithPreempt() {
        Topology t = shared.topology();

        CarpdCli.Outcome on = shared.cli(LabNode.FW1, "maintenance", "on");
        long returned = System.nanoTime();
        boolean moved = Lab.await(() -> t.holdsAll(LabNode.FW2), TAKEOVER, POLL);
        long tookMs = (System.nanoTime() - returned) / 1_000_000;

        assertThat(on.exit()).as(on.toString()).isZero();
        assertThat(on.out()).contains("maintenance on");
        assertThat(moved).as(shared.lab().status().render()).isTrue();
        assertThat(tookMs).as("from 'maintenance on' returning to fw2 holding both VIPs, ms (master-down is 3.39 s)")
                .isLessThan(HANDOVER.toMillis());
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, HANDOVER)).as("fw1 released its VIPs; %s", shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "BACKUP")).as("fw1 %s", shared.states(LabNode.FW1)).isTrue();
        assertThat(shared.allIn(LabNode.FW2, "MASTER")).as("fw2 %s", shared.states(LabNode.FW2)).isTrue();
        JsonNode s = shared.status(LabNode.FW1);
        assertThat(s.path("maintenance").asBoolean()).isTrue();
        assertThat(s.path("demotion").path("carp").path("maintenance").asInt()).isEqualTo(240);

        // restart fw1: the persisted flag keeps it out of the way, VIPs never come back
        restart(LabNode.FW1, "BACKUP", LabNode.FW2);
        CarpdCli.Outcome status = shared.cli(LabNode.FW1, "status");
        assertThat(status.out()).as(status.toString()).contains("maintenance on").contains("maintenance 240");
        assertThat(shared.allIn(LabNode.FW1, "BACKUP")).as("fw1 %s", shared.states(LabNode.FW1)).isTrue();

        CarpdCli.Outcome off = shared.cli(LabNode.FW1, "maintenance", "off");
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, PREEMPT)).as("fw1 preempts; %s", shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "MASTER")).isTrue();
        assertThat(lastReason(LabNode.FW1)).as("fw1's last transition").startsWith("preempting worse master");
        assertThat(shared.cli(LabNode.FW1, "status").out()).contains("maintenance off");
    }

    @Test
    void demoteMovesRolesToThePeerAndResetBringsThemBack() {
        CarpdCli.Outcome demote = shared.cli(LabNode.FW1, "demote", "50");
        assertThat(demote.exit()).as(demote.toString()).isZero();
        assertThat(demote.out()).contains("demotion of carp set to 50");

        // fw1 advertises demote 50 at once; fw2 (demote 0) takes over although its advskew is worse
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, PREEMPT)).as(shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW2, "MASTER")).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "BACKUP")).isTrue();
        CarpdCli.Outcome status = shared.cli(LabNode.FW1, "status");
        assertThat(status.out()).as("status names the demotion and its source").contains("demotion 50 (carp: operator 50)");
        assertThat(shared.status(LabNode.FW1).path("demotion").path("carp").path("operator").asInt()).isEqualTo(50);
        assertThat(lastReason(LabNode.FW2)).startsWith("master is demoted");
        // fw1's hooks hear the demotion first, then the VHIDs it cost, then the node role
        assertThat(Lab.await(() -> shared.hookLines(LabNode.FW1).stream().anyMatch(l -> l.startsWith("10-first node BACKUP ")),
                Duration.ofSeconds(5), Duration.ofMillis(50))).as("%s", shared.hookLines(LabNode.FW1)).isTrue();
        List<String> hooks = shared.hookLines(LabNode.FW1).stream().filter(l -> l.startsWith("10-first ")).toList();
        assertThat(hooks.getFirst()).as("%s", hooks).startsWith(
                "10-first demotion 50 event=demotion vhid= if= old=0 new=50 node=fw1 role=MASTER vips= demotion=50 group=carp reason=");
        assertThat(hooks).as("%s", hooks).hasSize(5);
        assertThat(hooks.subList(1, 5)).as("%s", hooks).satisfiesExactly(
                l -> assertThat(l).startsWith("10-first vhid BACKUP event=vhid vhid=").contains(" old=MASTER new=BACKUP ").contains(" role=MIXED ")
                        .contains(" demotion=50 group= reason=demoted (demote 50"),
                l -> assertThat(l).startsWith("10-first node MIXED event=node "),
                l -> assertThat(l).startsWith("10-first vhid BACKUP event=vhid vhid=").contains(" role=BACKUP ").contains(" demotion=50 "),
                l -> assertThat(l).startsWith("10-first node BACKUP event=node vhid= if= old=MIXED new=BACKUP node=fw1 role=BACKUP "));

        CarpdCli.Outcome reset = shared.cli(LabNode.FW1, "demote", "--reset");
        assertThat(reset.exit()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("demotion of carp cleared");
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, PREEMPT)).as(shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "MASTER")).isTrue();
        assertThat(shared.cli(LabNode.FW1, "status").out()).contains("demotion 0\n").doesNotContain("operator");
    }

    @Test
    void demotingAGroupMovesOnlyItsVhids() throws IOException {
        String wan = "    addresses: [" + LabVip.WAN.cidr() + "]\n";
        long transitions = transitionLinesOf12(LabNode.FW1);
        for (LabNode fw : SharedLab.firewalls()) {
            String yaml = Files.readString(shared.config(fw));
            assertThat(yaml).contains(wan);
            Files.writeString(shared.config(fw), yaml.replace(wan, wan + "    groups: [uplink]\n"));
            CarpdCli.Outcome reload = shared.cli(fw, "reload");
            assertThat(reload.exit()).as(reload.toString()).isZero();
        }
        assertThat(shared.topology().soleOwner(LabNode.FW1)).as(shared.lab().status().render()).isTrue();
        assertThat(transitionLinesOf12(LabNode.FW1)).as("joining a group moves nothing").isEqualTo(transitions);

        CarpdCli.Outcome demote = shared.cli(LabNode.FW1, "demote", "50", "-g", "uplink");
        assertThat(demote.exit()).as(demote.toString()).isZero();
        assertThat(demote.out()).contains("demotion of uplink set to 50");
        assertThat(Lab.await(() -> shared.topology().vipHolders().equals(Map.of(LabVip.WAN, List.of(LabNode.FW2), LabVip.LAN, List.of(LabNode.FW1))),
                PREEMPT, POLL)).as("only the uplink VHID moves; %s", shared.lab().status().render()).isTrue();
        assertThat(shared.states(LabNode.FW1)).containsEntry(1, "BACKUP").containsEntry(2, "MASTER");
        assertThat(shared.cli(LabNode.FW1, "status").out()).contains("(uplink: operator 50)");
        CarpdCli.Outcome unknown = shared.cli(LabNode.FW1, "demote", "50", "-g", "nosuch");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("carpd demote: no VHID is in demotion group 'nosuch'").doesNotContain("\n");

        CarpdCli.Outcome reset = shared.cli(LabNode.FW1, "demote", "--reset", "-g", "uplink");
        assertThat(reset.exit()).as(reset.toString()).isZero();
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, PREEMPT)).as(shared.lab().status().render()).isTrue();
    }

    @Test
    void disableReleasesEverythingPersistsAcrossRestartAndEnablePreemptsBack() throws IOException {
        Topology t = shared.topology();
        Path followed = shared.lab().layout().dir().resolve("fw1-events-follow.log");
        Process follower = shared.lab().spawn(LabNode.FW1,
                List.of("events", "--follow", "-n", "1", "-c", shared.config(LabNode.FW1).toString()), followed);
        try {
            assertThat(Lab.await(() -> lines(followed).stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*")),
                    SharedLab.ELECTION, Duration.ofMillis(50)))
                    .as("'carpd events --follow' printed the latest event once connected").isTrue();

            CarpdCli.Outcome disable = shared.cli(LabNode.FW1, "disable");
            long returned = System.nanoTime();
            boolean moved = Lab.await(() -> t.holdsAll(LabNode.FW2), TAKEOVER, POLL);
            long tookMs = (System.nanoTime() - returned) / 1_000_000;
            assertThat(disable.exit()).as(disable.toString()).isZero();
            assertThat(disable.out()).contains("CARP disabled");
            assertThat(moved).as(shared.lab().status().render()).isTrue();
            assertThat(tookMs).as("fw1 bows out: fw2 holds both VIPs without waiting for master-down, ms").isLessThan(HANDOVER.toMillis());
            assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, HANDOVER)).as(shared.lab().status().render()).isTrue();
            assertThat(shared.allIn(LabNode.FW1, "INIT")).as("a disabled node takes no part: %s", shared.states(LabNode.FW1)).isTrue();
            assertThat(shared.allIn(LabNode.FW2, "MASTER")).isTrue();
            assertThat(shared.cli(LabNode.FW1, "status").out()).contains("node fw1: maintenance off, disabled");
            assertThat(Lab.await(() -> lines(followed).stream().filter(l -> l.matches(".* transition: vhid \\d on \\w+: MASTER -> INIT \\(disabled\\)")).count() == 2,
                    Duration.ofSeconds(5), Duration.ofMillis(50))).as("followed events %s", lines(followed)).isTrue();
            assertThat(lines(followed)).anyMatch(l -> l.endsWith(" disable: carpd disabled by the operator"));

            // persistent: a restarted fw1 stays out, silent, past its own master-down
            restart(LabNode.FW1, "INIT", LabNode.FW2);
            assertThat(follower.waitFor(10, TimeUnit.SECONDS)).as("the follower ends when its daemon stops").isTrue();
            assertThat(t.soleOwner(LabNode.FW2)).as(shared.lab().status().render()).isTrue();
            assertThat(shared.cli(LabNode.FW1, "status").out()).contains("disabled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            follower.destroyForcibly();
        }

        CarpdCli.Outcome enable = shared.cli(LabNode.FW1, "enable");
        assertThat(enable.exit()).as(enable.toString()).isZero();
        assertThat(enable.out()).contains("CARP enabled");
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, PREEMPT)).as(shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "MASTER")).isTrue();
        assertThat(shared.allIn(LabNode.FW2, "BACKUP")).isTrue();
        assertThat(lastReason(LabNode.FW1)).startsWith("preempting worse master");
        assertThat(shared.cli(LabNode.FW1, "status").out()).contains("node fw1: maintenance off, enabled");
    }

    @Test
    void reloadAddsAndRemovesAVhidWithoutMovingTheOthers() throws IOException {
        String vhid3 = "  - vhid: 3\n    interface: lan\n    addresses: [192.0.2.253/24]\n";
        for (LabNode fw : SharedLab.firewalls()) {
            String yaml = Files.readString(shared.config(fw));
            Files.writeString(shared.config(fw), yaml.replace("\napi:\n", "\n" + vhid3 + "api:\n"));
        }
        Map<LabNode, Long> transitionsBefore = Map.of(
                LabNode.FW1, transitionLinesOf12(LabNode.FW1), LabNode.FW2, transitionLinesOf12(LabNode.FW2));
        Map<LabNode, Long> seqBefore = Map.of(LabNode.FW1, lastEventSeq(LabNode.FW1), LabNode.FW2, lastEventSeq(LabNode.FW2));

        // fw1 first: with the lower skew it is elected for the new VHID whatever the order of the backups' timers
        for (LabNode fw : SharedLab.firewalls()) {
            CarpdCli.Outcome reload = shared.cli(fw, "reload");
            assertThat(reload.exit()).as(reload.toString()).isZero();
            assertThat(reload.out()).as(fw.label()).contains("reloaded: added vhid 3 on lan");
        }

        assertThat(Lab.await(() -> holders("lan", "192.0.2.253/24").equals(List.of(LabNode.FW1)), TAKEOVER, Duration.ofMillis(100)))
                .as("fw1 alone holds the new VIP; holders %s", holders("lan", "192.0.2.253/24")).isTrue();
        assertThat(shared.states(LabNode.FW1)).containsEntry(3, "MASTER");
        assertThat(Lab.await(() -> "BACKUP".equals(shared.states(LabNode.FW2).get(3)), PREEMPT, Duration.ofMillis(100)))
                .as("fw2 %s", shared.states(LabNode.FW2)).isTrue();
        assertThat(shared.topology().soleOwner(LabNode.FW1)).as("VHIDs 1 and 2 stayed; %s", shared.lab().status().render()).isTrue();
        assertThat(shared.states(LabNode.FW1)).containsEntry(1, "MASTER").containsEntry(2, "MASTER");
        assertThat(shared.states(LabNode.FW2)).containsEntry(1, "BACKUP").containsEntry(2, "BACKUP");
        for (LabNode fw : SharedLab.firewalls()) {
            assertThat(transitionLinesOf12(fw)).as("%s logged no transition of vhid 1 or 2 since the reload", fw.label())
                    .isEqualTo(transitionsBefore.get(fw));
        }
        for (LabNode fw : SharedLab.firewalls()) {
            List<JsonNode> after = events(fw).stream().filter(e -> e.path("seq").asLong() > seqBefore.get(fw)).toList();
            assertThat(after).as("%s's events since the reload", fw.label())
                    .anyMatch(e -> e.path("kind").asText().equals("reload") && e.path("message").asText().contains("added vhid 3 on lan"))
                    .anyMatch(e -> e.path("kind").asText().equals("transition") && e.path("vhid").asInt() == 3)
                    .noneMatch(e -> e.path("kind").asText().equals("transition") && e.path("vhid").asInt() != 3);
        }
        assertThat(Lab.await(() -> shared.hookLines(LabNode.FW1).stream().anyMatch(l -> l.startsWith(
                "10-first vhid MASTER event=vhid vhid=3 if=lan old=BACKUP new=MASTER node=fw1 role=MASTER vips=192.0.2.253/24 demotion=0 group= reason=no advertisement for")),
                Duration.ofSeconds(5), Duration.ofMillis(50))).as("hooks of the new VHID; %s", shared.hookLines(LabNode.FW1)).isTrue();
        assertThat(shared.hookLines(LabNode.FW1)).as("no hook for VHIDs 1 and 2").noneMatch(l -> l.contains(" vhid=1 ") || l.contains(" vhid=2 "));

        // and out again: the VIP goes away everywhere, the others still do not move
        for (LabNode fw : SharedLab.firewalls()) {
            String yaml = Files.readString(shared.config(fw));
            Files.writeString(shared.config(fw), yaml.replace(vhid3, ""));
            CarpdCli.Outcome reload = shared.cli(fw, "reload");
            assertThat(reload.exit()).as(reload.toString()).isZero();
            assertThat(reload.out()).as(fw.label()).contains("reloaded: removed vhid 3 on lan");
        }
        assertThat(Lab.await(() -> holders("lan", "192.0.2.253/24").isEmpty(), Duration.ofSeconds(5), Duration.ofMillis(100)))
                .as("nobody holds the removed VIP; holders %s", holders("lan", "192.0.2.253/24")).isTrue();
        Namespaces.sleepMillis(1500); // a removal bows out: give a wrongly resurrected VHID the time to show
        assertThat(holders("lan", "192.0.2.253/24")).isEmpty();
        for (LabNode fw : SharedLab.firewalls()) {
            assertThat(shared.states(fw)).as(fw.label()).containsOnlyKeys(1, 2);
            assertThat(transitionLinesOf12(fw)).as("%s: still no transition of vhid 1 or 2", fw.label())
                    .isEqualTo(transitionsBefore.get(fw));
        }
        assertThat(shared.topology().soleOwner(LabNode.FW1)).as(shared.lab().status().render()).isTrue();
    }

    @Test
    void peerFailureStillMovesVipsToANodeInMaintenance() {
        expectOk(shared.cli(LabNode.FW1, "maintenance", "on"));
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, HANDOVER)).as(shared.lab().status().render()).isTrue();

        // maintenance means "not preferred", never "not at all": with fw2 dead, fw1 is all there is
        shared.lab().fail(LabNode.FW2);
        assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, TAKEOVER)).as(shared.lab().status().render()).isTrue();
        assertThat(shared.allIn(LabNode.FW1, "MASTER")).isTrue();
        assertThat(shared.status(LabNode.FW1).path("maintenance").asBoolean()).isTrue();
        assertThat(shared.topology().clientReachesServer()).isTrue();
    }

    /**
     * The documented zero-downtime upgrade: maintenance on fw1, restart fw1, maintenance off (fw1
     * preempts back), then the same on fw2, with UDP traffic flowing client → LAN VIP → server →
     * WAN VIP → client the whole time.
     */
    @Test
    void zeroDowntimeUpgradeProcedureKeepsTrafficFlowing() {
        Topology t = shared.topology();
        assertThat(t.clientReachesServer()).isTrue();
        try (LabTraffic traffic = LabTraffic.start(shared.lab(), Duration.ofSeconds(300));
             RollingProbe probe = RollingProbe.start(traffic, POLL, Duration.ofSeconds(10), Duration.ofSeconds(5))) {
            // 1. fw1 into maintenance: planned handover to fw2
            expectOk(shared.cli(LabNode.FW1, "maintenance", "on"));
            assertThat(shared.lab().awaitSoleOwner(LabNode.FW2, Duration.ofSeconds(2))).as(shared.lab().status().render()).isTrue();
            assertRoles("BACKUP", "MASTER");
            // 2. the upgrade: fw1's daemon restarts while fw2 carries the traffic
            restart(LabNode.FW1, "BACKUP", LabNode.FW2);
            assertThat(shared.cli(LabNode.FW1, "status").out()).contains("maintenance on");
            assertRoles("BACKUP", "MASTER");
            // 3. fw1 out of maintenance: it preempts, planned handover back
            expectOk(shared.cli(LabNode.FW1, "maintenance", "off"));
            assertThat(shared.lab().awaitSoleOwner(LabNode.FW1, PREEMPT)).as(shared.lab().status().render()).isTrue();
            assertRoles("MASTER", "BACKUP");
            // 4. the same on fw2, now the backup: nothing moves
            expectOk(shared.cli(LabNode.FW2, "maintenance", "on"));
            assertRoles("MASTER", "BACKUP");
            restart(LabNode.FW2, "BACKUP", LabNode.FW1);
            assertThat(shared.cli(LabNode.FW2, "status").out()).contains("maintenance on");
            assertRoles("MASTER", "BACKUP");
            expectOk(shared.cli(LabNode.FW2, "maintenance", "off"));
            Namespaces.sleepMillis(1500); // past fw1's next advert: fw2 stays backup
            assertThat(t.soleOwner(LabNode.FW1)).as(shared.lab().status().render()).isTrue();
            assertRoles("MASTER", "BACKUP");
            assertThat(shared.cli(LabNode.FW2, "status").out()).contains("maintenance off");

            List<UdpProber.Result> results = probe.finish();
            assertThat(results).as("probers watching the procedure").hasSizeGreaterThanOrEqualTo(3);
            assertThat(results).as("replies through the VIPs (longest gap < %d ms per prober)", HANDOVER.toMillis())
                    .allSatisfy(r -> {
                        assertThat(r.longestGapMillis()).as(r.line()).isLessThan(HANDOVER.toMillis());
                        assertThat(r.received()).as(r.line()).isGreaterThanOrEqualTo(r.sent() * 8 / 10);
                    });
        }
    }

    /**
     * Graceful restart of {@code fw}'s daemon while {@code owner} alone must hold both VIPs
     * throughout (polled every 20 ms); {@code fw} comes back in {@code state} and stays there past
     * its own master-down (3 s) and an advert of the master, when it would have taken over if it were
     * going to.
     */
    private void restart(LabNode fw, String state, LabNode owner) {
        Topology t = shared.topology();
        List<String> violations = new ArrayList<>();
        BooleanSupplier ownerAlone = () -> {
            if (!t.soleOwner(owner)) violations.add(t.vipHolders().toString());
            return false;
        };
        shared.lab().daemons().terminate(fw);
        assertThat(Lab.await(() -> ownerAlone.getAsBoolean() || !shared.lab().daemons().alive(fw), Duration.ofSeconds(15), POLL))
                .as(fw.label() + " stops").isTrue();
        shared.lab().daemons().start(fw);
        assertThat(Lab.await(() -> ownerAlone.getAsBoolean() || shared.cli(fw, "status").exit() == 0, SharedLab.ELECTION, POLL))
                .as("restarted %s answers on its socket", fw.label()).isTrue();
        assertThat(Lab.await(() -> ownerAlone.getAsBoolean() || shared.allIn(fw, state), Duration.ofSeconds(5), POLL))
                .as("%s %s", fw.label(), shared.states(fw)).isTrue();
        Lab.await(ownerAlone, Duration.ofMillis(4500), POLL);
        assertThat(violations).as("VIP holders other than %s alone while %s restarted", owner.label(), fw.label()).isEmpty();
        assertThat(shared.allIn(fw, state)).as("%s %s", fw.label(), shared.states(fw)).isTrue();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertRoles(String fw1, String fw2) {
        assertThat(shared.states(LabNode.FW1)).as("fw1").containsOnlyKeys(1, 2).allSatisfy((k, v) -> assertThat(v).isEqualTo(fw1));
        assertThat(shared.states(LabNode.FW2)).as("fw2").containsOnlyKeys(1, 2).allSatisfy((k, v) -> assertThat(v).isEqualTo(fw2));
    }

    private static void expectOk(CarpdCli.Outcome o) {
        assertThat(o.exit()).as(o.toString()).isZero();
    }

    private String lastReason(LabNode fw) {
        JsonNode last = shared.status(fw).path("last_transition");
        return last.path("reason").asText();
    }

    private long transitionLinesOf12(LabNode fw) {
        return shared.logLines(fw, TRANSITION).stream().filter(l -> {
            Matcher m = TRANSITION.matcher(l);
            return m.find() && !m.group(1).equals("3");
        }).count();
    }

    private List<JsonNode> events(LabNode fw) {
        CarpdCli.Outcome o = shared.cli(fw, "events", "-n", "200", "--json");
        assertThat(o.exit()).as(o.toString()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : o.out().split("\n")) {
            if (line.isBlank()) continue;
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON event: " + line, e);
            }
        }
        return events;
    }

    private long lastEventSeq(LabNode fw) {
        return events(fw).stream().mapToLong(e -> e.path("seq").asLong()).max().orElse(0);
    }

    private List<LabNode> holders(String iface, String cidr) {
        List<LabNode> h = new ArrayList<>();
        for (LabNode fw : SharedLab.firewalls()) {
            Namespaces.LinkAddresses link = Namespaces.addresses(shared.topology().ns(fw)).get(iface);
            if (link != null && link.running() && link.addresses().contains(cidr)) h.add(fw);
        }
        return h;
    }
}
