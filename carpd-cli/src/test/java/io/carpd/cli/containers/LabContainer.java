package io.carpd.cli.containers;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A container of the lab on the host-/usr image that {@code .ci/podman-setup} imports
 * ({@code CARPDCI_CONTAINER_IMAGE}): the host's /usr (and JDK 25) bind-mounted read-only into an
 * otherwise empty tree, with NET_ADMIN and NET_RAW and fixed addresses on internal networks.
 * {@link #firewall} adds what docker/Dockerfile's final stage holds, from the Dockerfile itself.
 */
final class LabContainer extends GenericContainer<LabContainer> {

    static final String IMAGE = System.getenv().getOrDefault(RequireContainersWhenAsked.IMAGE, "localhost/carpd-hostusr:ci");

    private final List<Map.Entry<Network, String>> moreNetworks = new ArrayList<>();
    private final StringBuffer log = new StringBuffer();
    private boolean attached;

    private LabContainer() {
        super(DockerImageName.parse(IMAGE));
        withFileSystemBind("/usr", "/usr", BindMode.READ_ONLY);
        if (Files.isDirectory(Path.of("/etc/alternatives"))) {
            withFileSystemBind("/etc/alternatives", "/etc/alternatives", BindMode.READ_ONLY);
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        if (!javaHome.startsWith("/usr")) withFileSystemBind(javaHome.toString(), javaHome.toString(), BindMode.READ_ONLY);
        Path conf = javaHome.resolve("conf");
        try {
            // Debian's OpenJDK keeps conf/ as a link into /etc.
            Path real = conf.toRealPath();
            if (!real.startsWith("/usr") && !real.startsWith(javaHome)) {
                withFileSystemBind(real.toString(), real.toString(), BindMode.READ_ONLY);
            }
        } catch (java.io.IOException e) {
            // no conf dir: nothing to mount
        }
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW));
        withLogConsumer(frame -> { if (frame.getType() != OutputFrame.OutputType.END) log.append(frame.getUtf8String()); });
        withStartupAttempts(1);
        // The image exists only locally (podman import); never ask a registry for it.
        withImagePullPolicy(image -> false);
    }

    /** A plain host (client, server) running {@code shellCommand}. */
    static LabContainer host(String name, String shellCommand) {
        LabContainer c = new LabContainer();
        c.withCreateContainerCmdModifier(cmd -> cmd.withHostName(name));
        c.withEnv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        c.withCommand("/bin/sh", "-c", shellCommand);
        return c;
    }

    /**
     * carpd as docker/Dockerfile runs it: the Dockerfile's copied files bind-mounted at the same
     * paths, its ENV (JAVA_HOME pointing at the host's JDK instead of the jlink runtime), its
     * ENTRYPOINT; {@code configDir} mounted at /etc/carpd as compose.yaml does.
     */
    static LabContainer firewall(String name, Path repoRoot, DockerfileRecipe recipe, Path configDir) {
        LabContainer c = new LabContainer();
        c.withCreateContainerCmdModifier(cmd -> {
            cmd.withHostName(name);
            cmd.getHostConfig().withSysctls(Map.of("net.ipv4.ip_forward", "1"));
        });
        recipe.copies().forEach((src, dest) -> c.withFileSystemBind(repoRoot.resolve(src).toString(), dest, BindMode.READ_ONLY));
        recipe.env().forEach(c::withEnv);
        c.withEnv("JAVA_HOME", System.getProperty("java.home"));
        c.withFileSystemBind(configDir.toString(), "/etc/carpd", BindMode.READ_ONLY);
        c.withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(recipe.entrypoint()));
        c.waitingFor(Wait.forLogMessage(".*carpd started.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        return c;
    }

    /** Sleeps instead of running the entry point, for tests that run it by exec. */
    LabContainer idle() {
        withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sleep", "infinity"));
        waitingFor(Wait.forSuccessfulCommand("true"));
        return this;
    }

    /** Attaches to {@code network} with {@code address}; the first network is the one the container is created on. */
    LabContainer on(Network network, String address) {
        if (!attached) {
            attached = true;
            withNetwork(network);
            withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(address));
        } else {
            moreNetworks.add(Map.entry(network, address));
        }
        return this;
    }

    @Override
    protected void containerIsCreated(String containerId) {
        for (var n : moreNetworks) {
            getDockerClient().connectToNetworkCmd()
                    .withNetworkId(n.getKey().getId())
                    .withContainerId(containerId)
                    .withContainerNetwork(new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(n.getValue())))
                    .exec();
        }
    }

    /** Everything the container wrote to stdout/stderr so far (for failure messages). */
    String output() {
        return log.toString();
    }

    /** SIGKILL, as a crash or power loss: no bow-out advertisement, no VIP removal. */
    void kill() {
        getDockerClient().killContainerCmd(getContainerId()).withSignal("KILL").exec();
    }

    /** Runs {@code command} in the container; exit code and output. */
    ExecResult run(String... command) {
        try {
            var r = execInContainer(command);
            return new ExecResult(r.getExitCode(), r.getStdout() + r.getStderr());
        } catch (Exception e) {
            throw new IllegalStateException("exec " + String.join(" ", command) + ": " + e, e);
        }
    }

    record ExecResult(int exitCode, String output) {
    }
}
