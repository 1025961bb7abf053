package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import io.carpd.testing.Netns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real carpd daemons in the namespace lab (reference profile: advbase 1, fw1 advskew 0, fw2
 * advskew 100, so fw2 takes over 3.39 s after fw1's last advert). Each test builds its own lab
 * with a random prefix and tears it down, also when it fails. Needs root.
 */
class FailoverNetnsTest {

    /** JVM start of two daemons on a busy two-core machine, plus one master-down interval. */
    private static final Duration ELECTION = Duration.ofSeconds(40);
    /** Master-down (3.39 s) plus detection and address changes, with room for a loaded machine. */
    private static final Duration TAKEOVER = Duration.ofSeconds(12);

    private Lab lab;

    @BeforeAll
    static void guard() {
        Netns.assumeAvailable();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private Lab electedLab(LabProfile profile) {
        lab = LabFixture.create(profile);
        lab.startDaemons();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION))
                .as("fw1 alone holds both VIPs after the first election; %s", lab.status().render()).isTrue();
        return lab;
    }

    @Test
    void initialElectionMakesFw1MasterOfBothVhids() {
        electedLab(LabProfile.reference());

        assertThat(lab.awaitLog(LabNode.FW1, Pattern.compile("vhid 1 on wan: BACKUP -> MASTER"), Duration.ofSeconds(5)))
                .as("fw1 logs its wan transition").isTrue();
        assertThat(lab.logMatches(LabNode.FW1, Pattern.compile("vhid 2 on lan: BACKUP -> MASTER"))).isTrue();
        assertThat(lab.daemons().alive(LabNode.FW2)).isTrue();
        assertThat(lab.carpStates(LabNode.FW1)).isEqualTo(Map.of(1, "MASTER", 2, "MASTER"));
        assertThat(lab.carpStates(LabNode.FW2)).isEqualTo(Map.of(1, "BACKUP", 2, "BACKUP"));
        // fw2 keeps listening: still no address of its own after two more master-down intervals
        Namespaces.sleepMillis(7000);
        assertThat(lab.topology().soleOwner(LabNode.FW1)).as(lab.status().render()).isTrue();
    }

    @Test
    void clientReachesServerThroughBothVips() {
        electedLab(LabProfile.reference());

        assertThat(lab.topology().clientReachesServer()).isTrue();
        try (LabTraffic traffic = LabTraffic.start(lab, Duration.ofSeconds(30))) {
            UdpProber.Result r = traffic.probe(Duration.ofMillis(10), Duration.ofSeconds(3)).await();
            assertThat(r.sent()).isGreaterThan(200);
            assertThat(r.received()).as("echo replies through LAN VIP out, WAN VIP back").isGreaterThanOrEqualTo(r.sent() * 95 / 100);
        }
    }

    @Test
    void hardFailureOfFw1MovesBothVipsToFw2AndTrafficFlows() {
        electedLab(LabProfile.reference());

        lab.fail(LabNode.FW1);

        assertThat(lab.awaitSoleOwner(LabNode.FW2, TAKEOVER)).as(lab.status().render()).isTrue();
        assertThat(lab.logMatches(LabNode.FW2, Pattern.compile("vhid 2 on lan: BACKUP -> MASTER"))).isTrue();
        assertThat(lab.topology().clientReachesServer()).as("traffic through fw2").isTrue();
    }

    @Test
    void gracefulStopHandsOverLongBeforeMasterDown() {
        electedLab(LabProfile.reference());
        Topology t = lab.topology();

        long signalled = System.nanoTime();
        lab.daemons().terminate(LabNode.FW1);
        boolean moved = Lab.await(() -> fw2HoldsBoth(t), Duration.ofSeconds(10), Duration.ofMillis(20));
        long tookMs = (System.nanoTime() - signalled) / 1_000_000;

        assertThat(moved).as(lab.status().render()).isTrue();
        // master-down would be 3.39 s after the last advert; the bow-out makes fw2 act at once
        assertThat(tookMs).as("takeover after SIGTERM, ms").isLessThan(1500);
        assertThat(lab.daemons().awaitExit(LabNode.FW1, Duration.ofSeconds(10))).isTrue();
        assertThat(t.soleOwner(LabNode.FW2)).as("fw1 removed its VIPs on the way out; %s", lab.status().render()).isTrue();
        assertThat(t.clientReachesServer()).isTrue();
    }

    @Test
    void lanCablePullMovesBothVhidsAndPlugBackPreempts() {
        electedLab(LabProfile.reference());
        Topology t = lab.topology();

        t.setSwitchPort(LabNode.FW1, Segment.LAN, false);
        assertThat(Lab.await(() -> fw2HoldsBoth(t) && !t.vipHolders().get(LabVip.WAN).contains(LabNode.FW1),
                TAKEOVER, Duration.ofMillis(50)))
                .as("the demoted WAN vhid follows the LAN one to fw2; %s", lab.status().render()).isTrue();
        assertThat(t.clientReachesServer()).isTrue();

        t.setSwitchPort(LabNode.FW1, Segment.LAN, true);
        assertThat(lab.awaitSoleOwner(LabNode.FW1, TAKEOVER)).as("fw1 preempts again; %s", lab.status().render()).isTrue();
        assertThat(t.clientReachesServer()).isTrue();
    }

    @Test
    void restartAfterKillRemovesStaleVipsBeforeTakingOver() {
        electedLab(LabProfile.reference());
        Topology t = lab.topology();

        lab.daemons().kill(LabNode.FW1);
        assertThat(lab.daemons().awaitExit(LabNode.FW1, Duration.ofSeconds(5))).isTrue();
        assertThat(Lab.await(() -> fw2HoldsBoth(t), TAKEOVER, Duration.ofMillis(50))).isTrue();
        assertThat(t.vipHolders().values()).as("killed fw1 left its VIPs behind: duplicates now")
                .allMatch(h -> h.contains(LabNode.FW1));

        lab.daemons().start(LabNode.FW1);
        assertThat(Lab.await(() -> t.vipHolders().values().stream().noneMatch(h -> h.contains(LabNode.FW1)),
                Duration.ofSeconds(30), Duration.ofMillis(20)))
                .as("restarted fw1 drops the stale VIPs while fw2 is master").isTrue();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, TAKEOVER)).as(lab.status().render()).isTrue();
    }

    @Test
    void unicastPeersKeepOneMasterWhileMulticastIsDropped() {
        lab = LabFixture.create(LabProfile.reference().withUnicastPeers());
        lab.topology().dropCarpMulticast();
        lab.startDaemons();
        assertThat(lab.awaitSoleOwner(LabNode.FW1, ELECTION)).as(lab.status().render()).isTrue();
        Namespaces.sleepMillis(7000);
        assertThat(lab.topology().soleOwner(LabNode.FW1)).as("fw2 hears fw1 by unicast; %s", lab.status().render()).isTrue();

        lab.fail(LabNode.FW1);
        assertThat(lab.awaitSoleOwner(LabNode.FW2, TAKEOVER)).as(lab.status().render()).isTrue();
        assertThat(lab.topology().clientReachesServer()).isTrue();
    }

    @Test
    void droppedMulticastWithoutPeersSplitsTheCluster() {
        // control for the unicast test: the bridge rule really silences multicast adverts
        lab = LabFixture.create(LabProfile.reference());
        lab.topology().dropCarpMulticast();
        lab.startDaemons();
        assertThat(Lab.await(() -> bothHoldBoth(lab.topology()), ELECTION, Duration.ofMillis(100)))
                .as(lab.status().render()).isTrue();
    }

    @Test
    void wrongPasswordOnFw2IsRejectedAndBothBecomeMaster() {
        lab = LabFixture.create(LabProfile.reference().withFw2Password("wrong-password"));
        lab.startDaemons();

        assertThat(Lab.await(() -> bothHoldBoth(lab.topology()), ELECTION, Duration.ofMillis(100)))
                .as("each side drops the other's adverts: dual master; %s", lab.status().render()).isTrue();
        Pattern badHmac = Pattern.compile("vhid 2 on lan: advertisement from 192\\.0\\.2\\.1 failed HMAC");
        assertThat(lab.awaitLog(LabNode.FW2, badHmac, Duration.ofSeconds(5))).as("fw2 logs the HMAC failures").isTrue();
        assertThat(Lab.await(() -> badHmacDrops(LabNode.FW2, "lan") >= 3, Duration.ofSeconds(10), Duration.ofMillis(200)))
                .as("fw2 counts every bad advert from fw1 on lan").isTrue();
        assertThat(badHmacDrops(LabNode.FW1, "wan")).as("fw1 counts fw2's adverts too").isPositive();
        // rate-limited: adverts arrive every second, the warning does not
        long warnings = logLines(LabNode.FW2, badHmac);
        assertThat(warnings).isLessThan(badHmacDrops(LabNode.FW2, "lan"));
    }

    private long badHmacDrops(LabNode fw, String iface) {
        Pattern p = Pattern.compile("^carpd_packets_dropped_total\\{(?=[^}]*interface=\"" + iface
                + "\")(?=[^}]*reason=\"bad_hmac\")[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);
        Matcher m = p.matcher(lab.metrics(fw));
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private long logLines(LabNode fw, Pattern pattern) {
        try {
            return Files.readAllLines(lab.layout().log(fw)).stream().filter(l -> pattern.matcher(l).find()).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean fw2HoldsBoth(Topology t) {
        return t.vipHolders().values().stream().allMatch(h -> h.contains(LabNode.FW2));
    }

    private static boolean bothHoldBoth(Topology t) {
        Map<LabVip, List<LabNode>> h = t.vipHolders();
        return h.values().stream().allMatch(n -> n.containsAll(List.of(LabNode.FW1, LabNode.FW2)));
    }
}
