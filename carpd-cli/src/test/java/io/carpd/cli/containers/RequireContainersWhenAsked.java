package io.carpd.cli.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Fails the class when {@code CARPDCI_REQUIRE_CONTAINERS=1} (exported by .ci/podman-setup once a
 * container has started) but Testcontainers finds no Docker API or no lab image: there
 * {@code @Testcontainers(disabledWithoutDocker = true)} would skip silently. Without that variable
 * the class runs only where {@code CARPDCI_CONTAINER_IMAGE} names the host-/usr image (a plain
 * Docker host lacks it) and skips otherwise. Declare it before {@code @Testcontainers}: JUnit
 * evaluates conditions in declaration order and stops at the first that disables.
 */
final class RequireContainersWhenAsked implements ExecutionCondition {

    static final String REQUIRE = "CARPDCI_REQUIRE_CONTAINERS";
    static final String IMAGE = "CARPDCI_CONTAINER_IMAGE";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean required = "1".equals(System.getenv(REQUIRE));
        if (System.getenv(IMAGE) == null) {
            if (required) throw new IllegalStateException(REQUIRE + "=1 but " + IMAGE + " is not set (.ci/podman-setup exports both)");
            return ConditionEvaluationResult.disabled(IMAGE + " not set: the lab image comes from .ci/podman-setup");
        }
        if (required && !DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(REQUIRE + "=1 but Testcontainers finds no Docker API (DOCKER_HOST="
                    + System.getenv("DOCKER_HOST") + "): the container tests must run here, not skip");
        }
        return ConditionEvaluationResult.enabled(IMAGE + " set");
    }
}
