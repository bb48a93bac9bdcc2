package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How instances of functions run: as {@link Docker} containers, or as local {@link Process}es
 * (development and tests).
 */
public sealed interface RuntimeConfig {
  /** How long an instance asked to stop may take before it is killed. */
  Duration stopGrace();

  Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  /**
   * Docker containers through the engine's REST API. The keys and defaults are those of ldd-docker's
   * {@code DockerRuntimeConfig} (its connection tuning keeps its own defaults), so mapping is one builder
   * call per field.
   *
   * @param host the engine's address: {@code DOCKER_HOST} when set, else {@code unix:///var/run/docker.sock}
   * @param network the container network: {@code bridge} (default), {@code host}, or a named network
   * @param publishHost the host address published ports bind to (127.0.0.1: nothing else reaches them)
   * @param containerAddress YAML {@code endpoint: container}: connect to the container's own address on
   *     its network, publishing nothing (the daemon must be able to route there); default
   *     {@code endpoint: published}
   * @param noNewPrivileges whether containers run with {@code no-new-privileges} (true by default)
   * @param dropAllCapabilities whether containers lose every Linux capability (true by default)
   * @param readOnlyRootfs whether containers get a read-only root file system (false by default)
   * @param user the user containers run as ({@code uid[:gid]}), empty for the image's own
   * @param defaultPidsLimit the pids limit of functions that set none (256 by default; 0: no limit)
   * @param maxParallelStarts containers being created and started at once at most (8 by default)
   * @param stopGrace how long a stopping container may take before it is killed
   * @param labels extra labels on every container
   */
  record Docker(
      String host, String network, String publishHost, boolean containerAddress, boolean noNewPrivileges,
      boolean dropAllCapabilities,
      boolean readOnlyRootfs, Optional<String> user, long defaultPidsLimit, int maxParallelStarts,
      Duration stopGrace, Map<String, String> labels) implements RuntimeConfig {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    public static final int DEFAULT_MAX_PARALLEL_STARTS = 8;
    public static final long DEFAULT_PIDS_LIMIT = 256;

    public Docker {
      requireNonNull(host, "host");
      requireNonNull(network, "network");
      requireNonNull(publishHost, "publishHost");
      requireNonNull(user, "user");
      if (defaultPidsLimit < 0) {
        throw new IllegalArgumentException("defaultPidsLimit must be >= 0, was " + defaultPidsLimit);
      }
      if (maxParallelStarts < 1) {
        throw new IllegalArgumentException("maxParallelStarts must be >= 1, was " + maxParallelStarts);
      }
      requireNonNull(stopGrace, "stopGrace");
      labels = Map.copyOf(labels);
    }

    /** Whether containers share the host's network (their port is then the wrapper's own). */
    public boolean hostNetwork() {
      return network.equals("host");
    }
  }

  /**
   * Local child processes.
   *
   * @param java the java binary that {@code jar} functions run with (the daemon's own by default)
   * @param workDir the working directory of the processes (the daemon's own by default)
   * @param stopGrace how long a stopping process may take before it is killed
   */
  record Process(Path java, Optional<Path> workDir, Duration stopGrace) implements RuntimeConfig {
    public Process {
      requireNonNull(java, "java");
      requireNonNull(workDir, "workDir");
      requireNonNull(stopGrace, "stopGrace");
    }

    /** The java binary of the running JVM. */
    public static Path currentJava() {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }
  }
}
