package io.carpd.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Network.Ipam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;

/** docker/carpd-entrypoint where the engine attached fewer networks than the config names. */
@ExtendWith(RequireContainersWhenAsked.class)
@Testcontainers(disabledWithoutDocker = true)
class EntrypointContainerTest {

    @Test
    void refusesToStartWhenASubnetOfTheConfigIsNotAttachedAndSaysWhich() {
        DockerfileRecipe recipe = DockerfileRecipe.read(Repo.docker().resolve("Dockerfile"));
        try (Network lan = Network.builder()
                .createNetworkCmdModifier(c -> c.withInternal(true).withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet("192.0.2.0/24"))))
                .build();
             LabContainer fw = LabContainer.firewall("fw1", Repo.root(), recipe, Repo.docker().resolve("fw1"))
                     .idle().on(lan, "192.0.2.2")) {
            fw.start();

            LabContainer.ExecResult r = fw.run(recipe.entrypoint().toArray(String[]::new));

            assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
            assertThat(r.output())
                    .contains("no interface in the subnet of {{iface 198.51.100.0/29}} {{iface 203.0.113.0/28}}")
                    .contains("192.0.2.0/24 on eth0")
                    .doesNotContain("carpd started");
        }
    }
}
