/**
 * carpd in real containers: the image recipe in docker/ (Dockerfile, entry point, compose
 * deployment) checked without an engine ({@code DockerfileTest}, {@code ComposeFileTest}) and run
 * through Testcontainers on a Docker API ({@code *ContainerTest}, failsafe, after the shaded jar is
 * built). The CI image is the host-/usr image of {@code .ci/podman-setup}; {@link
 * io.carpd.cli.containers.DockerfileRecipe} gives its containers the Dockerfile's own files,
 * paths, entry point and health check, so both images run the same jar the same way.
 */
package io.carpd.cli.containers;
