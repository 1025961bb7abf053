package io.carpd.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Network.Ipam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose deployment (docker/compose.yaml) on real containers: client -- LAN -- fw1/fw2 -- WAN
 * -- server, SYNC between the firewalls, all internal networks. The firewalls run carpd.jar through
 * the Dockerfile's entry point with docker/fw1 and docker/fw2 mounted at /etc/carpd; their
 * interfaces are named by the engine and found by subnet.
 */
@ExtendWith(RequireContainersWhenAsked.class)
@Testcontainers(disabledWithoutDocker = true)
class FailoverContainerTest {

    static final String WAN_VIP = "203.0.113.4";
    static final String LAN_VIP = "192.0.2.254";
    static final String SERVER = "203.0.113.10";
    static final Duration ELECTION = Duration.ofSeconds(40);
    /** 3 missed adverts at advbase 1 plus skew, and slack for a loaded 2-core CI machine. */
    static final Duration FAILOVER = Duration.ofSeconds(15);

    static final List<AutoCloseable> shared = new ArrayList<>();
    static Network lan;
    static Network wan;
    static Network sync;
    static LabContainer client;
    static LabContainer server;
    static DockerfileRecipe recipe;

    LabContainer fw1;
    LabContainer fw2;

    @BeforeAll
    static void networksAndHosts() {
        recipe = DockerfileRecipe.read(Repo.docker().resolve("Dockerfile"));
        assertThat(Repo.root().resolve("carpd-cli/target/carpd.jar")).as("the shaded jar (mvn package)").exists();
        lan = share(internalNetwork("192.0.2.0/24"));
        wan = share(internalNetwork("203.0.113.0/28"));
        sync = share(internalNetwork("198.51.100.0/29"));
        client = share(LabContainer.host("client", "ip route replace default via " + LAN_VIP + " && exec sleep infinity")
                .on(lan, "192.0.2.10"));
        server = share(LabContainer.host("server", "ip route replace 192.0.2.0/24 via " + WAN_VIP + " && exec sleep infinity")
                .on(wan, SERVER));
        client.start();
        server.start();
    }

    @AfterAll
    static void removeShared() {
        closeAll(shared);
    }

    @BeforeEach
    void firewalls() {
        fw1 = firewall("fw1", "2");
        fw2 = firewall("fw2", "3");
        fw1.start();
        fw2.start();
    }

    @AfterEach
    void stopFirewalls() {
        closeAll(new ArrayList<>(Arrays.asList(fw1, fw2)));
    }

    @Test
    void fw1WinsTheElectionAndOwnsBothVips() {
        awaitOwner(fw1, fw2);
        assertThat(fw1.run("carpd", "status").output())
                .contains("vhid 1 MASTER", "vhid 2 MASTER", WAN_VIP + "/28", LAN_VIP + "/24");
        assertThat(fw2.run("carpd", "status").output()).contains("vhid 1 BACKUP", "vhid 2 BACKUP");
        for (LabContainer fw : List.of(fw1, fw2)) {
            // The Dockerfile's HEALTHCHECK, run by hand (Podman runs health checks through systemd timers).
            assertThat(fw.run(recipe.healthcheck().toArray(String[]::new)).exitCode()).as("health check").isZero();
        }
        assertThat(ping(client, SERVER)).as("client -> server through the VIPs on fw1").isTrue();
    }

    @Test
    void killingFw1MovesTheVipsAndTheClientsTrafficToFw2() {
        awaitOwner(fw1, fw2);
        assertThat(ping(client, SERVER)).as("through fw1").isTrue();

        fw1.kill();

        awaitCondition("fw2 owns both VIPs after fw1 was killed", FAILOVER, () -> ownsBothVips(fw2), fw2::output);
        // fw1 is dead: an answer can only have been forwarded by fw2, found through the moved VIPs.
        awaitCondition("client reaches the server through fw2", FAILOVER, () -> ping(client, SERVER), fw2::output);
    }

    @Test
    void maintenanceOnHandsTheVipsToFw2() {
        awaitOwner(fw1, fw2);

        LabContainer.ExecResult r = fw1.run("carpd", "maintenance", "on");
        assertThat(r.exitCode()).as("carpd maintenance on: %s", r.output()).isZero();

        awaitCondition("fw2 owns both VIPs and fw1 none after maintenance on", FAILOVER,
                () -> ownsBothVips(fw2) && ownsNoVip(fw1), () -> fw1.output() + fw2.output());
        assertThat(fw1.run("carpd", "status").output()).contains("maintenance on", "vhid 1 BACKUP", "vhid 2 BACKUP");
        assertThat(ping(client, SERVER)).as("client -> server through fw2").isTrue();
    }

    private LabContainer firewall(String name, String hostOctet) {
        return LabContainer.firewall(name, Repo.root(), recipe, Repo.docker().resolve(name))
                .on(lan, "192.0.2." + hostOctet)
                .on(wan, "203.0.113." + hostOctet)
                .on(sync, "198.51.100." + hostOctet);
    }

    private static void awaitOwner(LabContainer master, LabContainer backup) {
        awaitCondition(master.getContainerInfo().getConfig().getHostName() + " owns both VIPs, the other none", ELECTION,
                () -> ownsBothVips(master) && ownsNoVip(backup), () -> master.output() + backup.output());
    }

    private static boolean ownsBothVips(LabContainer fw) {
        String addrs = fw.run("ip", "-o", "-4", "addr", "show").output();
        return addrs.contains(" " + WAN_VIP + "/28 ") && addrs.contains(" " + LAN_VIP + "/24 ");
    }

    private static boolean ownsNoVip(LabContainer fw) {
        String addrs = fw.run("ip", "-o", "-4", "addr", "show").output();
        return !addrs.contains(" " + WAN_VIP + "/") && !addrs.contains(" " + LAN_VIP + "/");
    }

    private static boolean ping(LabContainer from, String to) {
        return from.run("ping", "-n", "-c", "1", "-W", "1", to).exitCode() == 0;
    }

    private static void awaitCondition(String what, Duration within, Supplier<Boolean> condition, Supplier<String> logs) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toSeconds() + " s: " + what + "\n--- container logs:\n" + logs.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    private static Network internalNetwork(String subnet) {
        return Network.builder()
                .createNetworkCmdModifier(c -> c.withInternal(true).withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(subnet))))
                .build();
    }

    private static <T extends AutoCloseable> T share(T resource) {
        shared.add(resource);
        return resource;
    }

    /** Closes in reverse order (containers before their networks), every one even if some fail. */
    private static void closeAll(List<? extends AutoCloseable> resources) {
        RuntimeException first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable r = resources.get(i);
            if (r == null) continue;
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException("cleanup failed", e);
                else first.addSuppressed(e);
            }
        }
        resources.clear();
        if (first != null) throw first;
    }
}
