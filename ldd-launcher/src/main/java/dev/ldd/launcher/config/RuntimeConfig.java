package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
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
   * Docker containers through the engine's REST API.
   *
   * @param host the engine's address ({@code unix:///var/run/docker.sock} by default)
   * @param network the container network: {@code bridge} (default), {@code host}, or a named network
   * @param readOnlyRootfs whether containers get a read-only root file system
   * @param user the user containers run as ({@code uid[:gid]}), empty for the image's own
   * @param maxParallelStarts containers being created and started at once at most
   * @param stopGrace how long a stopping container may take before it is killed
   */
  record Docker(
      String host, String network, boolean readOnlyRootfs, Optional<String> user, int maxParallelStarts,
      Duration stopGrace) implements RuntimeConfig {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    public Docker {
      requireNonNull(host, "host");
      requireNonNull(network, "network");
      requireNonNull(user, "user");
      if (maxParallelStarts < 1) {
        throw new IllegalArgumentException("maxParallelStarts must be >= 1, was " + maxParallelStarts);
      }
      requireNonNull(stopGrace, "stopGrace");
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
