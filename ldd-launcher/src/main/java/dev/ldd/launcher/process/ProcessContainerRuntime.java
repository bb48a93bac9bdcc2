package dev.ldd.launcher.process;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each instance of a function as a local child process: for development, tests and hosts without
 * Docker.
 *
 * <p>What runs: the function's {@link FunctionSpec#command() command} when it has one, otherwise
 * {@code <java> -jar <image>} (the image is then a runnable jar). The launcher's config turns
 * {@code jar} + {@code mainClass} into an explicit {@code java -cp jar mainClass} command. The process
 * gets the spec's environment plus {@code LDD_PORT} (a free port on 127.0.0.1 picked for it: the spec's
 * {@code port} is for containers and is not used), {@code LDD_FUNCTION}, {@code LDD_INSTANCE} and
 * {@code LDD_DAEMON}; its endpoint is {@code 127.0.0.1:LDD_PORT}. Its stdout and stderr go to
 * {@code <stateDirectory>/<daemonId>/<instanceId>.log}, and a start failure quotes the last lines.
 * A start succeeds when the process is still alive after the start window.
 *
 * <p>The native id is the pid. Child processes outlive a killed daemon, so each start writes a pid file
 * ({@link PidFile}) under the daemon's folder; {@link #listOwned} reads them, and {@link #stop}/{@link #kill}
 * act on a pid from an earlier run too, provided the process is alive and started at the recorded
 * instant (a recycled pid is left alone). Stopping sends SIGTERM ({@link Process#destroy}), waits the
 * grace, then SIGKILLs the process and its descendants.
 *
 * <p>Thread-safe. Work runs on two {@code ldd-process-runtime} threads; futures complete there or on the
 * JDK's process reaper thread.
 */
public final class ProcessContainerRuntime implements ContainerRuntime {
  private static final Logger log = LoggerFactory.getLogger(ProcessContainerRuntime.class);
  private static final int OUTPUT_LINES = 20;

  private final ProcessRuntimeOptions options;
  private final ScheduledThreadPoolExecutor executor;
  private final Map<String, ProcessInstance> live = new ConcurrentHashMap<>();

  public ProcessContainerRuntime(ProcessRuntimeOptions options) {
    this.options = requireNonNull(options, "options");
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "ldd-process-runtime-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public CompletableFuture<RuntimeInstance> start(InstanceRequest request) {
    requireNonNull(request, "request");
    CompletableFuture<RuntimeInstance> started = new CompletableFuture<>();
    executor.execute(() -> {
      try {
        launch(request, started);
      } catch (RuntimeException e) {
        started.completeExceptionally(e);
      }
    });
    return started;
  }

  private void launch(InstanceRequest request, CompletableFuture<RuntimeInstance> started) {
    FunctionSpec f = request.function();
    List<String> command = command(f);
    Path dir = daemonDirectory(request.daemonId());
    Path logFile = dir.resolve(safe(request.instanceId()) + ".log");
    int port;
    try {
      Files.createDirectories(dir);
      port = freePort();
    } catch (IOException e) {
      throw new PlatformException("function '" + f.name() + "': cannot prepare instance '" + request.instanceId()
          + "' in " + dir + ": " + e.getMessage(), e);
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
    options.workDir().ifPresent(d -> builder.directory(d.toFile()));
    Map<String, String> env = builder.environment();
    env.putAll(f.env());
    env.put("LDD_PORT", Integer.toString(port));
    env.put("LDD_FUNCTION", f.name());
    env.put("LDD_INSTANCE", request.instanceId());
    env.put("LDD_DAEMON", request.daemonId());

    long t0 = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PlatformException("function '" + f.name() + "': cannot run " + command.get(0) + ": " + e.getMessage()
          + "; check the function's command (or jar) and that the program exists", e);
    }
    Duration spawn = Duration.ofNanos(System.nanoTime() - t0);
    closeQuietly(process);
    PidFile pidFile;
    try {
      pidFile = PidFile.write(dir, process.toHandle(), request.instanceId(), f.name());
    } catch (IOException e) {
      process.destroyForcibly();
      throw new PlatformException("function '" + f.name() + "': cannot write the pid file of instance '"
          + request.instanceId() + "' in " + dir + ": " + e.getMessage(), e);
    }
    ProcessInstance instance = new ProcessInstance(request.instanceId(), f.name(), process, pidFile, logFile,
        new Endpoint("127.0.0.1", port), spawn);
    live.put(instance.nativeId(), instance);
    log.debug("instance {} of function '{}' started as pid {} on port {}", request.instanceId(), f.name(),
        process.pid(), port);

    process.onExit().whenComplete((p, error) -> instance.exited());
    instance.exit().whenComplete((exit, error) -> started.completeExceptionally(new PlatformException(
        "function '" + f.name() + "': instance '" + request.instanceId() + "' exited with code " + exit.exitCode()
            + " while starting; last output:\n" + lastLines(logFile))));
    long windowNanos = options.startWindow().toNanos();
    executor.schedule(() -> {
      if (!instance.exit().isDone()) {
        instance.settled(Duration.ofNanos(System.nanoTime() - t0).minus(spawn));
        started.complete(instance);
      }
    }, windowNanos, TimeUnit.NANOSECONDS);
  }

  private List<String> command(FunctionSpec f) {
    if (!f.command().isEmpty()) {
      return f.command();
    }
    return List.of(options.java().toString(), "-jar", f.image());
  }

  @Override
  public CompletableFuture<Void> stop(String nativeId, Duration grace) {
    requireNonNull(grace, "grace");
    return end(nativeId, false, grace);
  }

  @Override
  public CompletableFuture<Void> kill(String nativeId) {
    return end(nativeId, true, Duration.ZERO);
  }

  private CompletableFuture<Void> end(String nativeId, boolean force, Duration grace) {
    requireNonNull(nativeId, "nativeId");
    ProcessInstance instance = live.get(nativeId);
    if (instance != null) {
      return instance.end(force, grace);
    }
    // Not started by this runtime: perhaps an orphan of an earlier run of the daemon.
    return CompletableFuture.supplyAsync(() -> findPidFile(nativeId), executor).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      PidFile pidFile = found.get();
      Optional<ProcessHandle> process = pidFile.liveProcess();
      if (process.isEmpty()) {
        pidFile.delete();
        return CompletableFuture.completedFuture(null);
      }
      ProcessHandle handle = process.get();
      List<ProcessHandle> descendants = handle.descendants().toList();
      if (force) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
        executor.schedule(handle::destroyForcibly, grace.toNanos(), TimeUnit.NANOSECONDS);
      }
      return handle.onExit().thenAccept(h -> {
        descendants.forEach(ProcessHandle::destroyForcibly);
        pidFile.delete();
      });
    });
  }

  @Override
  public CompletableFuture<List<OwnedInstance>> listOwned(String daemonId) {
    requireNonNull(daemonId, "daemonId");
    return CompletableFuture.supplyAsync(() -> {
      List<OwnedInstance> out = new ArrayList<>();
      for (PidFile pidFile : pidFiles(daemonDirectory(daemonId))) {
        out.add(new OwnedInstance(Long.toString(pidFile.pid()), pidFile.instanceId(), pidFile.function(),
            pidFile.liveProcess().isPresent()));
      }
      return out;
    }, executor);
  }

  /** Releases the runtime's threads. The processes keep running: their pid files let a later run reap them. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private Optional<PidFile> findPidFile(String nativeId) {
    if (!nativeId.chars().allMatch(Character::isDigit) || nativeId.isEmpty()) {
      return Optional.empty();
    }
    if (!Files.isDirectory(options.stateDirectory())) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> daemons = Files.newDirectoryStream(options.stateDirectory(), Files::isDirectory)) {
      for (Path daemon : daemons) {
        Path file = daemon.resolve(nativeId + ".pid");
        if (Files.exists(file)) {
          return PidFile.read(file);
        }
      }
    } catch (IOException e) {
      throw new PlatformException("cannot read the process runtime's state in " + options.stateDirectory()
          + ": " + e.getMessage(), e);
    }
    return Optional.empty();
  }

  private static List<PidFile> pidFiles(Path dir) {
    List<PidFile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pid")) {
      for (Path file : files) {
        PidFile.read(file).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new PlatformException("cannot list the process runtime's pid files in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private Path daemonDirectory(String daemonId) {
    return options.stateDirectory().resolve(safe(daemonId));
  }

  /** A file-name-safe version of an id (ids are names already; this guards against '/' and '..'). */
  private static String safe(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.startsWith(".") ? "_" + s : s;
  }

  private static int freePort() throws IOException {
    // The port is free now; the child binds it moments later. A collision in between shows as a start
    // failure of that instance (the engine retries), which is acceptable for a development runtime.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close(); // the child reads EOF on stdin
    } catch (IOException ignored) {
      // nothing to do: the child never reads stdin
    }
  }

  /** The last lines a process wrote, for start-failure messages. */
  static String lastLines(Path logFile) {
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = f.length();
      int n = (int) Math.min(length, 16 * 1024);
      byte[] tail = new byte[n];
      f.seek(length - n);
      f.readFully(tail);
      List<String> lines = Arrays.asList(new String(tail, StandardCharsets.UTF_8).split("\\R"));
      List<String> last = lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size());
      String text = String.join("\n", last).strip();
      return text.isEmpty() ? "(no output)" : text;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** One child process. */
  private final class ProcessInstance implements RuntimeInstance {
    private final String instanceId;
    private final String function;
    private final Process process;
    private final PidFile pidFile;
    private final Path logFile;
    private final Endpoint endpoint;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final CompletableFuture<InstanceExit> exit = new CompletableFuture<>();
    private final AtomicReference<String> endRequested = new AtomicReference<>();
    private volatile List<ProcessHandle> descendants = List.of();

    ProcessInstance(String instanceId, String function, Process process, PidFile pidFile, Path logFile,
        Endpoint endpoint, Duration spawn) {
      this.instanceId = instanceId;
      this.function = function;
      this.process = process;
      this.pidFile = pidFile;
      this.logFile = logFile;
      this.endpoint = endpoint;
      phases.put("spawn", spawn);
    }

    synchronized void settled(Duration window) {
      phases.put("settle", window);
    }

    @Override
    public String instanceId() {
      return instanceId;
    }

    @Override
    public String nativeId() {
      return Long.toString(process.pid());
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public synchronized Map<String, Duration> startPhases() {
      return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    @Override
    public CompletableFuture<InstanceExit> exit() {
      return exit;
    }

    CompletableFuture<Void> end(boolean force, Duration grace) {
      if (force) {
        endRequested.set("killed");
      } else {
        endRequested.compareAndSet(null, "stopped");
      }
      try {
        descendants = process.descendants().toList();
      } catch (RuntimeException e) {
        log.debug("cannot list the descendants of pid {}", process.pid(), e);
      }
      if (force) {
        process.destroyForcibly();
      } else {
        process.destroy();
        if (!executor.isShutdown()) {
          executor.schedule(() -> {
            if (process.isAlive()) {
              log.debug("instance {} did not stop within {}; killing it", instanceId, grace);
              process.destroyForcibly();
            }
          }, grace.toNanos(), TimeUnit.NANOSECONDS);
        }
      }
      return exit.thenApply(e -> null);
    }

    /** Called once the process has exited: forgets it, then reports the exit. */
    void exited() {
      descendants.forEach(ProcessHandle::destroyForcibly);
      live.remove(nativeId());
      try {
        pidFile.delete();
      } catch (RuntimeException e) {
        log.warn("cannot delete pid file {}: {}", pidFile.file(), e.getMessage());
      }
      int code = process.exitValue();
      String requested = endRequested.get();
      String reason = requested != null ? requested : "exited with code " + code;
      log.debug("instance {} of function '{}' (pid {}) ended: {}; output in {}", instanceId, function,
          process.pid(), reason, logFile);
      exit.complete(new InstanceExit(code, reason));
    }
  }
}
