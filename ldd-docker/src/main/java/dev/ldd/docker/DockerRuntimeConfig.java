package dev.ldd.docker;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How {@link DockerContainerRuntime} reaches the engine and how it shapes the containers it starts.
 * Build with {@link #builder()}; {@link #defaults()} is the hardened bridge-network setup.
 *
 * @param dockerHost the engine's address; {@code DOCKER_HOST} when set, else the local UNIX socket
 * @param network {@link #BRIDGE} (ports published on {@link #publishHost}), {@link #HOST} (no published
 *     ports: the function listens on its own port on the host), or the name of a user-defined network
 * @param publishHost the host address published ports bind to (loopback: nothing else can reach them)
 * @param containerAddress connect to the container's own address on its network instead of a published
 *     port: nothing is published on the host, and no port proxy sits between daemon and function. Only
 *     where the daemon can route to that network: on the Docker host itself (Linux), or in a container on
 *     the host's network or on the same network. Ignored with {@link #HOST}
 * @param noNewPrivileges adds {@code no-new-privileges} to the security options
 * @param dropAllCapabilities drops every Linux capability ({@code --cap-drop ALL})
 * @param readOnlyRootfs mounts the container's root filesystem read-only
 * @param user the user (and group) to run as, such as {@code 65534:65534}; null for the image's own
 * @param defaultPidsLimit the pids limit when the function sets none; 0 for no limit
 * @param stopGrace how long {@link DockerContainerRuntime#stop(String)} waits after SIGTERM before it kills
 * @param maxParallelStarts how many starts run at once; the rest wait their turn (engines degrade under
 *     many parallel creates)
 * @param connectTimeout how long opening a connection to the engine may take
 * @param controlTimeout how long the engine may stay silent on one control call before it fails
 * @param maxControlConnections connections the control client keeps to the engine
 * @param labels extra labels put on every container, on top of LDD's own
 * @param logLinesOnFailure how many of the container's last log lines a start failure quotes
 */
public record DockerRuntimeConfig(
    URI dockerHost,
    String network,
    String publishHost,
    boolean containerAddress,
    boolean noNewPrivileges,
    boolean dropAllCapabilities,
    boolean readOnlyRootfs,
    String user,
    long defaultPidsLimit,
    Duration stopGrace,
    int maxParallelStarts,
    Duration connectTimeout,
    Duration controlTimeout,
    int maxControlConnections,
    Map<String, String> labels,
    int logLinesOnFailure) {

  /** Docker's default bridge network: the function's port is published on {@link #publishHost}. */
  public static final String BRIDGE = "bridge";
  /** The host's network: nothing is published, the function listens on its port on the host. */
  public static final String HOST = "host";

  public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";

  public DockerRuntimeConfig {
    requireNonNull(dockerHost, "dockerHost");
    requireNonNull(network, "network");
    if (network.isBlank()) {
      throw new IllegalArgumentException("network must not be blank (use bridge, host or a network name)");
    }
    requireNonNull(publishHost, "publishHost");
    if (user != null && user.isBlank()) {
      user = null;
    }
    if (defaultPidsLimit < 0) {
      throw new IllegalArgumentException("defaultPidsLimit must be >= 0, was " + defaultPidsLimit);
    }
    requireNonNull(stopGrace, "stopGrace");
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("stopGrace must not be negative, was " + stopGrace);
    }
    if (maxParallelStarts < 1) {
      throw new IllegalArgumentException("maxParallelStarts must be >= 1, was " + maxParallelStarts);
    }
    positive("connectTimeout", connectTimeout);
    positive("controlTimeout", controlTimeout);
    if (maxControlConnections < 1) {
      throw new IllegalArgumentException("maxControlConnections must be >= 1, was " + maxControlConnections);
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    for (String key : labels.keySet()) {
      if (key.startsWith(Labels.PREFIX)) {
        throw new IllegalArgumentException("label '" + key + "' is reserved: labels starting with "
            + Labels.PREFIX + " are LDD's own");
      }
    }
    if (logLinesOnFailure < 0) {
      throw new IllegalArgumentException("logLinesOnFailure must be >= 0, was " + logLinesOnFailure);
    }
  }

  private static void positive(String field, Duration d) {
    requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + d);
    }
  }

  /** The default engine address: {@code DOCKER_HOST} when set, else {@value #DEFAULT_SOCKET}. */
  public static URI defaultDockerHost() {
    String env = System.getenv("DOCKER_HOST");
    return URI.create(env == null || env.isBlank() ? DEFAULT_SOCKET : env);
  }

  public static DockerRuntimeConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .dockerHost(dockerHost)
        .network(network)
        .publishHost(publishHost)
        .containerAddress(containerAddress)
        .noNewPrivileges(noNewPrivileges)
        .dropAllCapabilities(dropAllCapabilities)
        .readOnlyRootfs(readOnlyRootfs)
        .user(user)
        .defaultPidsLimit(defaultPidsLimit)
        .stopGrace(stopGrace)
        .maxParallelStarts(maxParallelStarts)
        .connectTimeout(connectTimeout)
        .controlTimeout(controlTimeout)
        .maxControlConnections(maxControlConnections)
        .labels(labels)
        .logLinesOnFailure(logLinesOnFailure);
  }

  boolean hostNetwork() {
    return HOST.equals(network);
  }

  /** Whether the function's port is published on the host (bridge and named networks, unless containerAddress). */
  boolean publishesPort() {
    return !hostNetwork() && !containerAddress;
  }

  /**
   * Defaults: {@code DOCKER_HOST} or the local socket, bridge network published on 127.0.0.1,
   * no-new-privileges, all capabilities dropped, writable rootfs, the image's user, 256 pids, 10 s stop
   * grace, 8 parallel starts, 5 s connect and 30 s control timeouts.
   */
  public static final class Builder {
    private URI dockerHost = defaultDockerHost();
    private String network = BRIDGE;
    private String publishHost = "127.0.0.1";
    private boolean containerAddress;
    private boolean noNewPrivileges = true;
    private boolean dropAllCapabilities = true;
    private boolean readOnlyRootfs;
    private String user;
    private long defaultPidsLimit = 256;
    private Duration stopGrace = Duration.ofSeconds(10);
    private int maxParallelStarts = 8;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration controlTimeout = Duration.ofSeconds(30);
    private int maxControlConnections = 32;
    private Map<String, String> labels = Map.of();
    private int logLinesOnFailure = 20;

    private Builder() {}

    public Builder dockerHost(URI dockerHost) {
      this.dockerHost = dockerHost;
      return this;
    }

    public Builder dockerHost(String dockerHost) {
      return dockerHost(URI.create(dockerHost));
    }

    public Builder network(String network) {
      this.network = network;
      return this;
    }

    public Builder publishHost(String publishHost) {
      this.publishHost = publishHost;
      return this;
    }

    /** See {@link DockerRuntimeConfig#containerAddress()}. Default false: a port published on publishHost. */
    public Builder containerAddress(boolean containerAddress) {
      this.containerAddress = containerAddress;
      return this;
    }

    public Builder noNewPrivileges(boolean noNewPrivileges) {
      this.noNewPrivileges = noNewPrivileges;
      return this;
    }

    public Builder dropAllCapabilities(boolean dropAllCapabilities) {
      this.dropAllCapabilities = dropAllCapabilities;
      return this;
    }

    public Builder readOnlyRootfs(boolean readOnlyRootfs) {
      this.readOnlyRootfs = readOnlyRootfs;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder defaultPidsLimit(long defaultPidsLimit) {
      this.defaultPidsLimit = defaultPidsLimit;
      return this;
    }

    public Builder stopGrace(Duration stopGrace) {
      this.stopGrace = stopGrace;
      return this;
    }

    public Builder maxParallelStarts(int maxParallelStarts) {
      this.maxParallelStarts = maxParallelStarts;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder controlTimeout(Duration controlTimeout) {
      this.controlTimeout = controlTimeout;
      return this;
    }

    public Builder maxControlConnections(int maxControlConnections) {
      this.maxControlConnections = maxControlConnections;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder logLinesOnFailure(int logLinesOnFailure) {
      this.logLinesOnFailure = logLinesOnFailure;
      return this;
    }

    public DockerRuntimeConfig build() {
      return new DockerRuntimeConfig(dockerHost, network, publishHost, containerAddress, noNewPrivileges,
          dropAllCapabilities, readOnlyRootfs, user, defaultPidsLimit, stopGrace, maxParallelStarts, connectTimeout,
          controlTimeout, maxControlConnections, labels, logLinesOnFailure);
    }
  }
}
