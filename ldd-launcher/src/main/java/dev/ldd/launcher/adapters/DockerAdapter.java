package dev.ldd.launcher.adapters;

import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.docker.DockerContainerRuntime;
import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.launcher.config.RuntimeConfig;

/** The launcher's {@code runtime: { type: docker }} on ldd-docker. */
public final class DockerAdapter {
  private DockerAdapter() {}

  /** The ldd-docker configuration the launcher's Docker section describes. */
  public static DockerRuntimeConfig toDockerConfig(RuntimeConfig.Docker c) {
    DockerRuntimeConfig.Builder b = DockerRuntimeConfig.builder()
        .dockerHost(c.host())
        .network(c.network())
        .publishHost(c.publishHost())
        .containerAddress(c.containerAddress())
        .noNewPrivileges(c.noNewPrivileges())
        .dropAllCapabilities(c.dropAllCapabilities())
        .readOnlyRootfs(c.readOnlyRootfs())
        .defaultPidsLimit(c.defaultPidsLimit())
        .maxParallelStarts(c.maxParallelStarts())
        .stopGrace(c.stopGrace())
        .labels(c.labels());
    c.user().ifPresent(b::user);
    return b.build();
  }

  public static ContainerRuntime create(RuntimeConfig.Docker config) {
    return DockerContainerRuntime.create(toDockerConfig(config));
  }
}
