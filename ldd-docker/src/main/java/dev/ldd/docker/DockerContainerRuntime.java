package dev.ldd.docker;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.Resources;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker engine. Each instance is one container, labelled as LDD's
 * ({@link Labels}), hardened by default, with the function's port published on 127.0.0.1 on an
 * ephemeral host port. Exits are learnt from one events stream for all containers; containers are
 * removed explicitly once they are gone, so nothing of ours is left behind after a stop or kill.
 *
 * <p>Threads: at most {@link DockerRuntimeConfig#maxParallelStarts} starts run at once on
 * {@code ldd-docker-start-N}; stops, kills, listings and exit reports run on {@code ldd-docker-call-N};
 * the events stream has its own client and thread.
 */
public final class DockerContainerRuntime implements ContainerRuntime {
  /** The exit code an ending instance reports, waiting a moment for it (on a start thread); null if none. */
  private static Long exitCodeSoon(DockerInstance instance) {
    try {
      InstanceExit exit = instance.exit().get(2, java.util.concurrent.TimeUnit.SECONDS);
      return (long) exit.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return null;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DockerContainerRuntime.class);
  private static final Pattern ENGINE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** How long a kill waits for the engine's die event (and its exit code) before reporting the exit itself. */
  private static final Duration DIE_EVENT_WAIT = Duration.ofSeconds(1);
  /** A safety net under the events stream, for a stream that stalls without ending. */
  private static final Duration RECONCILE_EVERY = Duration.ofSeconds(30);

  private final DockerRuntimeConfig config;
  private final String runtimeId = UUID.randomUUID().toString().substring(0, 12);
  private final DockerClient control;
  private final DockerClient events;
  private final ExecutorService startPool;
  private final ExecutorService callPool;
  private final Executor starts;
  private final Executor calls;
  private final ScheduledExecutorService timer;
  private final ConcurrentMap<String, DockerInstance> instances = new ConcurrentHashMap<>();
  private final ExitWatcher watcher;
  private volatile boolean closed;

  private DockerContainerRuntime(DockerRuntimeConfig config) {
    this.config = config;
    this.control = DockerClients.control(config);
    this.events = DockerClients.streaming(config);
    this.startPool = Executors.newFixedThreadPool(config.maxParallelStarts(), threads("ldd-docker-start-%d"));
    this.callPool = Executors.newFixedThreadPool(4, threads("ldd-docker-call-%d"));
    this.starts = orInlineOnceClosed(startPool);
    this.calls = orInlineOnceClosed(callPool);
    this.timer = Executors.newSingleThreadScheduledExecutor(threads("ldd-docker-timer-%d"));
    this.watcher = new ExitWatcher(events, Map.of(Labels.RUNTIME, runtimeId), config.connectTimeout(),
        new ExitSink(), "ldd-docker-events-" + runtimeId);
    watcher.start();
    timer.scheduleWithFixedDelay(() -> calls.execute(this::reconcileQuietly), RECONCILE_EVERY.toMillis(),
        RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A runtime on the engine {@code config} names. Does not contact the engine until it is used. */
  public static DockerContainerRuntime create(DockerRuntimeConfig config) {
    return new DockerContainerRuntime(config);
  }

  /** A runtime with {@link DockerRuntimeConfig#defaults()}. */
  public static DockerContainerRuntime create() {
    return create(DockerRuntimeConfig.defaults());
  }

  public DockerRuntimeConfig config() {
    return config;
  }

  /**
   * Work that arrives after close (a late die event, a stop racing close) runs on the caller's thread
   * against the closed clients and so fails its future, rather than being rejected and never completing.
   */
  private static Executor orInlineOnceClosed(ExecutorService pool) {
    return task -> {
      try {
        pool.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  /** Runs {@code task} after {@code delay}; at once when the runtime is closed (nothing would run it later). */
  private void later(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private static ThreadFactory threads(String nameFormat) {
    return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
  }

  // ---- start

  @Override
  public CompletableFuture<RuntimeInstance> start(InstanceRequest request) {
    if (closed) {
      return CompletableFuture.failedFuture(new PlatformException("function '" + request.function().name()
          + "': the Docker runtime is closed; create a new DockerContainerRuntime"));
    }
    return CompletableFuture.supplyAsync(() -> startNow(request), starts);
  }

  private RuntimeInstance startNow(InstanceRequest request) {
    FunctionSpec fn = request.function();
    Map<String, Duration> phases = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    String id = create(request);
    long t1 = System.nanoTime();
    phases.put("create", Duration.ofNanos(t1 - t0));
    DockerInstance instance = new DockerInstance(request.instanceId(), id, fn.name());
    // Tracked before it starts, so that a die event during start is not lost.
    instances.put(id, instance);
    try {
      try {
        control.startContainerCmd(id).exec();
      } catch (DockerException e) {
        throw failure(fn, "its container failed to start: " + engineMessage(e)
            + "; check the image's entrypoint and command" + logSuffix(id), e);
      }
      long t2 = System.nanoTime();
      phases.put("start", Duration.ofNanos(t2 - t1));
      InspectContainerResponse inspect = control.inspectContainerCmd(id).exec();
      phases.put("inspect", Duration.ofNanos(System.nanoTime() - t2));
      InspectContainerResponse.ContainerState state = inspect.getState();
      if (!Boolean.TRUE.equals(state.getRunning()) || instance.ended()) {
        Long code = state.getExitCodeLong();
        if (Boolean.TRUE.equals(state.getRunning())) {
          // The die event beat our inspect's answer, which still said running: take the code from the exit.
          code = exitCodeSoon(instance);
        }
        throw new PlatformException("function '" + fn.name() + "': its container exited during start"
            + (code == null ? "" : " with code " + code)
            + (Boolean.TRUE.equals(state.getOOMKilled()) ? " (out of memory)" : "")
            + "; fix the function or its configuration so that it keeps running and listens on port "
            + fn.port() + logSuffix(id));
      }
      instance.started(endpoint(fn, id, inspect), phases);
      if (instance.ended()) {
        // It died between inspect and now: the exit is reported; the removal is ours to start.
        removeAndForget(instance);
      }
      return instance;
    } catch (RuntimeException e) {
      instances.remove(id, instance);
      try {
        removeContainer(id);
      } catch (RuntimeException removal) {
        e.addSuppressed(removal);
      }
      if (e instanceof PlatformException) {
        throw e;
      }
      throw translate(fn, "starting its container", e);
    }
  }

  private String create(InstanceRequest request) {
    FunctionSpec fn = request.function();
    String name = containerName(request);
    CreateContainerCmd cmd = control.createContainerCmd(fn.image())
        .withName(name)
        .withLabels(labels(request))
        .withEnv(environment(request))
        .withHostConfig(hostConfig(fn));
    if (!config.hostNetwork()) {
      cmd.withExposedPorts(ExposedPort.tcp(fn.port()));
    }
    if (!fn.command().isEmpty()) {
      cmd.withCmd(fn.command());
    }
    if (config.user() != null) {
      cmd.withUser(config.user());
    }
    try {
      return cmd.exec().getId();
    } catch (NotFoundException e) {
      String message = engineMessage(e);
      if (message.contains("image")) {
        throw new PlatformException("function '" + fn.name() + "': image '" + fn.image()
            + "' not found on the Docker engine at " + config.dockerHost() + "; build it with `java -jar "
            + "ldd.jar image build ...` or the FunctionImageBuilder API (LDD never pulls images)", e);
      }
      throw new PlatformException("function '" + fn.name() + "': the Docker engine could not create its "
          + "container: " + message + "; check that network '" + config.network() + "' exists", e);
    } catch (ConflictException e) {
      throw new PlatformException("function '" + fn.name() + "': a container named '" + name
          + "' already exists, probably left by an earlier run of daemon '" + request.daemonId()
          + "'; remove orphans at start (DockerContainerRuntime.removeOrphans) or run `docker rm -f "
          + name + "`", e);
    } catch (RuntimeException e) {
      throw translate(fn, "creating its container from image '" + fn.image() + "'", e);
    }
  }

  private PlatformException translate(FunctionSpec fn, String doing, RuntimeException e) {
    if (e instanceof DockerException de) {
      return failure(fn, "the Docker engine failed " + doing + ": " + engineMessage(de), e);
    }
    return unreachable("function '" + fn.name() + "'", e);
  }

  private PlatformException unreachable(String subject, RuntimeException e) {
    return new PlatformException(subject + ": the Docker engine at " + config.dockerHost()
        + " is unreachable (" + rootCause(e) + "); start it (scripts/docker-engine.sh) or point "
        + "DOCKER_HOST at a running engine", e);
  }

  private static PlatformException failure(FunctionSpec fn, String what, Throwable cause) {
    return new PlatformException("function '" + fn.name() + "': " + what, cause);
  }

  private Endpoint endpoint(FunctionSpec fn, String id, InspectContainerResponse inspect) {
    if (config.hostNetwork()) {
      return new Endpoint("127.0.0.1", fn.port());
    }
    if (config.containerAddress()) {
      return new Endpoint(containerAddress(fn, id, inspect), fn.port());
    }
    Ports ports = inspect.getNetworkSettings() == null ? null : inspect.getNetworkSettings().getPorts();
    Ports.Binding[] bindings = ports == null ? null : ports.getBindings().get(ExposedPort.tcp(fn.port()));
    if (bindings == null || bindings.length == 0) {
      throw new PlatformException("function '" + fn.name() + "': port " + fn.port() + "/tcp of container "
          + id + " was not published on the host; check that network '" + config.network()
          + "' supports published ports (or use network 'host')");
    }
    Ports.Binding binding = Arrays.stream(bindings)
        .filter(b -> config.publishHost().equals(b.getHostIp()))
        .findFirst()
        .orElse(bindings[0]);
    String host = "0.0.0.0".equals(config.publishHost()) ? "127.0.0.1" : config.publishHost();
    return new Endpoint(host, Integer.parseInt(binding.getHostPortSpec()));
  }

  /** The container's address on the runtime's network, from inspect. */
  private String containerAddress(FunctionSpec fn, String id, InspectContainerResponse inspect) {
    Map<String, ContainerNetwork> networks = inspect.getNetworkSettings() == null ? null
        : inspect.getNetworkSettings().getNetworks();
    ContainerNetwork network = networks == null ? null : networks.get(config.network());
    String address = network == null ? null : network.getIpAddress();
    if (address == null || address.isBlank()) {
      throw new PlatformException("function '" + fn.name() + "': container " + id + " has no address on network '"
          + config.network() + "' (networks: " + (networks == null ? "none" : networks.keySet())
          + "); containerAddress needs a network with addresses, such as bridge or a user-defined one");
    }
    return address;
  }

  private HostConfig hostConfig(FunctionSpec fn) {
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(config.network());
    if (config.publishesPort()) {
      host.withPortBindings(new PortBinding(Ports.Binding.bindIp(config.publishHost()), ExposedPort.tcp(fn.port())));
    }
    Resources r = fn.resources();
    if (r.memoryBytes() > 0) {
      // Swap equal to memory: the limit is a limit, not an invitation to swap.
      host.withMemory(r.memoryBytes()).withMemorySwap(r.memoryBytes());
    }
    if (r.nanoCpus() > 0) {
      host.withNanoCPUs(r.nanoCpus());
    }
    long pids = r.pids() > 0 ? r.pids() : config.defaultPidsLimit();
    if (pids > 0) {
      host.withPidsLimit(pids);
    }
    if (config.dropAllCapabilities()) {
      host.withCapDrop(Capability.ALL);
    }
    if (config.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges"));
    }
    if (config.readOnlyRootfs()) {
      host.withReadonlyRootfs(true);
    }
    return host;
  }

  private Map<String, String> labels(InstanceRequest request) {
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    labels.put(Labels.DAEMON, request.daemonId());
    labels.put(Labels.FUNCTION, request.function().name());
    labels.put(Labels.INSTANCE, request.instanceId());
    labels.put(Labels.RUNTIME, runtimeId);
    return labels;
  }

  private static List<String> environment(InstanceRequest request) {
    Map<String, String> env = new LinkedHashMap<>(request.function().env());
    env.put("LDD_PORT", Integer.toString(request.function().port()));
    env.put("LDD_FUNCTION", request.function().name());
    env.put("LDD_INSTANCE", request.instanceId());
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList());
  }

  /** {@code ldd-<daemonId>-<instanceId>}, with what Docker does not allow in names replaced by '_'. */
  static String containerName(InstanceRequest request) {
    return "ldd-" + sanitize(request.daemonId()) + "-" + sanitize(request.instanceId());
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  // ---- stop and kill

  @Override
  public CompletableFuture<Void> stop(String nativeId, Duration grace) {
    DockerInstance instance = instances.get(nativeId);
    if (instance == null) {
      return CompletableFuture.runAsync(() -> stopUntracked(nativeId, grace), calls);
    }
    if (instance.ended() || instance.removalStarted()) {
      return removeAndForget(instance);
    }
    instance.requestStop();
    // SIGTERM, then the grace on our own timer: no control call blocks for the length of a grace period.
    return CompletableFuture.runAsync(() -> signal(nativeId, "SIGTERM"), calls)
        .exceptionally(e -> {
          log.debug("SIGTERM to {} failed, killing it: {}", instance, e.toString());
          return null;
        })
        .thenCompose(v -> {
          CompletableFuture<Void> exitedOrGraceOver = new CompletableFuture<>();
          instance.exit().whenComplete((exit, e) -> exitedOrGraceOver.complete(null));
          later(() -> exitedOrGraceOver.complete(null), grace);
          return exitedOrGraceOver;
        })
        .thenCompose(v -> removeAndForget(instance));
  }

  /** {@link #stop(String, Duration)} with the configured {@link DockerRuntimeConfig#stopGrace()}. */
  public CompletableFuture<Void> stop(String nativeId) {
    return stop(nativeId, config.stopGrace());
  }

  @Override
  public CompletableFuture<Void> kill(String nativeId) {
    DockerInstance instance = instances.get(nativeId);
    if (instance == null) {
      return CompletableFuture.runAsync(() -> removeContainer(nativeId), calls);
    }
    instance.requestKill();
    return removeAndForget(instance);
  }

  private void stopUntracked(String id, Duration grace) {
    try {
      int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
      control.stopContainerCmd(id).withTimeout(seconds).exec();
    } catch (NotFoundException e) {
      return;
    } catch (NotModifiedException e) {
      // already stopped
    } catch (DockerException e) {
      log.debug("stopping container {} failed, removing it by force: {}", id, e.toString());
    } catch (RuntimeException e) {
      throw unreachable("container " + id, e);
    }
    removeContainer(id);
  }

  private void signal(String id, String signal) {
    try {
      control.killContainerCmd(id).withSignal(signal).exec();
    } catch (NotFoundException | ConflictException e) {
      // gone or not running: nothing to signal
    }
  }

  /** Removes the container (killing it if needed), waits for its exit report, then forgets it. */
  private CompletableFuture<Void> removeAndForget(DockerInstance instance) {
    return instance.removal(() -> CompletableFuture.runAsync(() -> removeContainer(instance.nativeId()), calls)
        .thenCompose(v -> exitReported(instance))
        .whenComplete((v, e) -> instances.remove(instance.nativeId(), instance)));
  }

  private CompletableFuture<Void> exitReported(DockerInstance instance) {
    if (instance.exit().isDone()) {
      return CompletableFuture.completedFuture(null);
    }
    // The die event carries the exit code; when the stream is down, report the exit without it.
    later(() -> calls.execute(() -> ended(instance, -1)), DIE_EVENT_WAIT);
    return instance.exit().handle((exit, e) -> null);
  }

  private void removeContainer(String id) {
    try {
      control.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (ConflictException e) {
      log.debug("container {} is already being removed: {}", id, engineMessage(e));
    } catch (DockerException e) {
      throw new PlatformException("container " + id + ": the Docker engine failed to remove it: "
          + engineMessage(e) + "; remove it with `docker rm -f " + id + "`", e);
    } catch (RuntimeException e) {
      throw unreachable("container " + id, e);
    }
  }

  // ---- exits

  /** Reports the exit once, then removes the container (the first report wins). */
  private void ended(DockerInstance instance, int exitCode) {
    if (!instance.markEnded()) {
      return;
    }
    InstanceExit exit = instance.exitFor(exitCode);
    if (!instance.running()) {
      instance.exit().complete(exit);
      return; // died during start: the start reports it and removes the container
    }
    if (!instance.exitRequested()) {
      // An exit nobody asked for: its last words say why, to the engine (the reason) and the operator.
      List<String> lines = logTail(instance.nativeId(), 10);
      if (!lines.isEmpty()) {
        exit = new InstanceExit(exit.exitCode(), exit.reason() + " (last log line: "
            + abbreviate(lines.get(lines.size() - 1), 200) + ")");
      }
      String tail = lines.isEmpty() ? "it logged nothing" : "last log lines:\n" + String.join("\n", lines);
      if (exit.exitCode() == 0) {
        // A clean exit, as when a wrapper ends after the daemon closed its connection.
        log.info("{} {}; {}", instance, exit.reason(), tail);
      } else {
        log.warn("{} {}; {}", instance, exit.reason(), tail);
      }
    }
    instance.exit().complete(exit);
    removeAndForget(instance);
  }

  private final class ExitSink implements ExitWatcher.Sink {
    @Override
    public void died(String containerId, int exitCode) {
      DockerInstance instance = instances.get(containerId);
      if (instance != null && !instance.ended()) {
        calls.execute(() -> ended(instance, exitCode));
      }
    }

    @Override
    public void oomKilled(String containerId) {
      DockerInstance instance = instances.get(containerId);
      if (instance != null) {
        instance.markOomKilled();
      }
    }

    @Override
    public void connected() {
      if (!closed) {
        calls.execute(DockerContainerRuntime.this::reconcile);
      }
    }
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      log.debug("periodic reconciliation failed: {}", e.toString());
    }
  }

  /** Reports every running instance whose container has exited or vanished, as the events may not have. */
  private void reconcile() {
    List<DockerInstance> tracked = instances.values().stream()
        .filter(i -> i.running() && !i.ended())
        .collect(Collectors.toList());
    if (tracked.isEmpty()) {
      return;
    }
    Map<String, Container> present = control.listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.RUNTIME, runtimeId))
        .exec().stream()
        .collect(Collectors.toMap(Container::getId, Function.identity(), (a, b) -> a));
    for (DockerInstance instance : tracked) {
      Container container = present.get(instance.nativeId());
      if (container == null) {
        ended(instance, -1);
      } else if ("exited".equals(container.getState()) || "dead".equals(container.getState())) {
        int code = -1;
        try {
          InspectContainerResponse.ContainerState state =
              control.inspectContainerCmd(instance.nativeId()).exec().getState();
          code = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue();
          if (Boolean.TRUE.equals(state.getOOMKilled())) {
            instance.markOomKilled();
          }
        } catch (RuntimeException e) {
          log.debug("inspecting exited {} failed: {}", instance, e.toString());
        }
        log.info("{} exited while the events stream was down; found by reconciliation", instance);
        ended(instance, code);
      }
    }
  }

  /** The engine's version, such as {@code 20.10.24+dfsg1}; fails with a PlatformException when unreachable. */
  public CompletableFuture<String> engineVersion() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return control.versionCmd().exec().getVersion();
      } catch (RuntimeException e) {
        throw unreachable("the Docker runtime", e);
      }
    }, calls);
  }

  // ---- ownership

  @Override
  public CompletableFuture<List<OwnedInstance>> listOwned(String daemonId) {
    return CompletableFuture.supplyAsync(() -> owned(daemonId), calls);
  }

  private List<OwnedInstance> owned(String daemonId) {
    try {
      return control.listContainersCmd()
          .withShowAll(true)
          .withLabelFilter(Map.of(Labels.DAEMON, daemonId))
          .exec().stream()
          .map(c -> new OwnedInstance(c.getId(), label(c, Labels.INSTANCE), label(c, Labels.FUNCTION),
              "running".equals(c.getState())))
          .collect(Collectors.toList());
    } catch (DockerException e) {
      throw new PlatformException("daemon '" + daemonId + "': listing its containers failed: "
          + engineMessage(e), e);
    } catch (RuntimeException e) {
      throw unreachable("daemon '" + daemonId + "'", e);
    }
  }

  private static String label(Container c, String key) {
    return c.getLabels() == null ? null : c.getLabels().get(key);
  }

  /**
   * Kills and removes every container labelled with {@code daemonId} that this runtime did not start:
   * what an earlier run of the daemon left behind. Completes with what it removed.
   */
  public CompletableFuture<List<OwnedInstance>> removeOrphans(String daemonId) {
    return CompletableFuture.supplyAsync(() -> {
      List<OwnedInstance> orphans = owned(daemonId).stream()
          .filter(o -> !instances.containsKey(o.nativeId()))
          .collect(Collectors.toList());
      for (OwnedInstance orphan : orphans) {
        removeContainer(orphan.nativeId());
      }
      if (!orphans.isEmpty()) {
        log.info("removed {} container(s) left by an earlier run of daemon '{}'", orphans.size(), daemonId);
      }
      return orphans;
    }, calls);
  }

  // ---- logs and messages

  private String logSuffix(String id) {
    if (config.logLinesOnFailure() == 0) {
      return "";
    }
    List<String> lines = logTail(id, config.logLinesOnFailure());
    return lines.isEmpty() ? "; it logged nothing" : "; its last log lines:\n" + String.join("\n", lines);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  /**
   * The container's last {@code n} non-blank log lines (stdout and stderr); none when it logged nothing
   * or its logs are gone (a container being removed has none).
   */
  List<String> logTail(String id, int n) {
    StringBuffer out = new StringBuffer();
    try {
      control.logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(n)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              out.append(new String(frame.getPayload(), UTF_8));
            }

            @Override
            public void onError(Throwable e) {
              // No logs to be had: not worth the error the default callback would log.
              log.debug("logs of container {} unavailable: {}", id, e.toString());
              try {
                close();
              } catch (IOException ignored) {
                // nothing more to release
              }
            }
          })
          .awaitCompletion(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("logs of container {} unavailable: {}", id, e.toString());
    }
    List<String> lines = out.toString().lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  /** The engine's own message out of a docker-java exception ("Status 404: {"message":"..."}"). */
  static String engineMessage(DockerException e) {
    String raw = e.getMessage() == null ? "" : e.getMessage();
    Matcher m = ENGINE_MESSAGE.matcher(raw);
    return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ").trim() : raw.trim();
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  // ---- test hooks

  /** For tests: drops the events stream until the handle is closed (see {@link ExitWatcher#interrupt}). */
  AutoCloseable interruptEventsStream(boolean historyLost) {
    return watcher.interrupt(historyLost);
  }

  /** For tests: how many times the events stream has connected. */
  int eventsStreamConnections() {
    return watcher.connections();
  }

  // ---- close

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watcher.close();
    startPool.shutdown();
    callPool.shutdown();
    timer.shutdownNow();
    try {
      startPool.awaitTermination(5, TimeUnit.SECONDS);
      callPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(control);
    closeQuietly(events);
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException e) {
      log.debug("closing a Docker client: {}", e.toString());
    }
  }
}
