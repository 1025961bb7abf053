package io.carpd.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile's final stage as the container tests rely on it: they mount exactly its copied
 * files at its paths and use its entry point and health check (DockerfileRecipe), so these checks
 * pin what "the same jar, the same entry point" means.
 */
class DockerfileTest {

    final DockerfileRecipe recipe = DockerfileRecipe.read(Repo.docker().resolve("Dockerfile"));

    @Test
    void finalStageCopiesTheShadedJarAndBothScriptsFromTheRepository() {
        assertThat(recipe.copies()).containsOnly(
                entry("carpd-cli/target/carpd.jar", "/opt/carpd/carpd.jar"),
                entry("docker/carpd", "/opt/carpd/bin/carpd"),
                entry("docker/carpd-entrypoint", "/opt/carpd/bin/carpd-entrypoint"));
        for (String script : new String[] {"docker/carpd", "docker/carpd-entrypoint"}) {
            assertThat(Files.isExecutable(Repo.root().resolve(script))).as(script + " executable").isTrue();
        }
    }

    @Test
    void entrypointIsTheScriptAndTheHealthCheckAsksTheControlApi() {
        assertThat(recipe.entrypoint()).containsExactly("/opt/carpd/bin/carpd-entrypoint");
        assertThat(recipe.healthcheck()).containsExactly("carpd", "status");
        assertThat(recipe.env().get("PATH")).startsWith("/opt/carpd/bin:");
        assertThat(recipe.env()).containsEntry("JAVA_HOME", "/opt/java");
    }

    @Test
    void entrypointRunsTheDaemonOnTheRenderedConfigAndTheWrapperRunsTheJar() throws Exception {
        assertThat(Files.readString(Repo.docker().resolve("carpd-entrypoint"))).contains("exec carpd run -c \"$config\"");
        assertThat(Files.readString(Repo.docker().resolve("carpd"))).contains("-jar /opt/carpd/carpd.jar \"$@\"");
    }

    @Test
    void runtimeImageHasLibpcapForPcap4j() throws Exception {
        String dockerfile = Files.readString(Repo.docker().resolve("Dockerfile"));
        assertThat(dockerfile).contains("libpcap0.8", "iproute2", "jlink");
    }
}
