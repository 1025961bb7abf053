package io.carpd.cli.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Fails the class when {@code CARPD_REQUIRE_CONTAINERS=1} (exported by .ci/podman-setup once a
 * container has started) but Testcontainers finds no Docker API: there
 * {@code @Testcontainers(disabledWithoutDocker = true)} would skip silently. Declare it before
 * {@code @Testcontainers}: JUnit evaluates conditions in declaration order and stops at the first
 * that disables.
 */
final class RequireContainersWhenAsked implements ExecutionCondition {

    static final String ENV = "CARPD_REQUIRE_CONTAINERS";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if ("1".equals(System.getenv(ENV)) && !DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(ENV + "=1 but Testcontainers finds no Docker API (DOCKER_HOST="
                    + System.getenv("DOCKER_HOST") + "): the container tests must run here, not skip");
        }
        return ConditionEvaluationResult.enabled(ENV + " satisfied");
    }
}
