package dev.ldd.docker;

import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.RuntimeInstance;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** One container this runtime started, from create until it is removed. */
final class DockerInstance implements RuntimeInstance {
  private final String instanceId;
  private final String nativeId;
  private final String function;
  private final CompletableFuture<InstanceExit> exit = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicReference<CompletableFuture<Void>> removal = new AtomicReference<>();
  private volatile Endpoint endpoint;
  private volatile Map<String, Duration> startPhases = Map.of();
  /** Set once start and inspect succeeded: before that, "not running" is normal, not an exit. */
  private volatile boolean running;
  private volatile boolean stopRequested;
  private volatile boolean killRequested;
  private volatile boolean oomKilled;

  DockerInstance(String instanceId, String nativeId, String function) {
    this.instanceId = instanceId;
    this.nativeId = nativeId;
    this.function = function;
  }

  @Override
  public String instanceId() {
    return instanceId;
  }

  @Override
  public String nativeId() {
    return nativeId;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public Map<String, Duration> startPhases() {
    return startPhases;
  }

  @Override
  public CompletableFuture<InstanceExit> exit() {
    return exit;
  }

  String function() {
    return function;
  }

  void started(Endpoint endpoint, Map<String, Duration> startPhases) {
    this.endpoint = endpoint;
    this.startPhases = Collections.unmodifiableMap(new LinkedHashMap<>(startPhases));
    this.running = true;
  }

  boolean running() {
    return running;
  }

  void requestStop() {
    stopRequested = true;
  }

  void requestKill() {
    killRequested = true;
  }

  /** Whether the runtime itself asked for the exit (stop or kill). */
  boolean exitRequested() {
    return stopRequested || killRequested;
  }

  void markOomKilled() {
    oomKilled = true;
  }

  /** True the first time only: whoever gets true reports the exit and removes the container. */
  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  boolean ended() {
    return ended.get();
  }

  /** The reason for an exit with {@code exitCode}, preferring what the runtime itself asked for. */
  InstanceExit exitFor(int exitCode) {
    String reason;
    if (killRequested) {
      reason = "killed";
    } else if (stopRequested) {
      reason = "stopped";
    } else if (oomKilled) {
      reason = "oom-killed";
    } else if (exitCode == 137) {
      reason = "killed by SIGKILL outside LDD";
    } else if (exitCode == -1) {
      reason = "gone (removed outside LDD)";
    } else {
      reason = "exited with code " + exitCode;
    }
    return new InstanceExit(exitCode, reason);
  }

  /** The one removal of this container: the first caller's future, shared by later callers. */
  CompletableFuture<Void> removal(Supplier<CompletableFuture<Void>> start) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    if (!removal.compareAndSet(null, mine)) {
      return removal.get();
    }
    start.get().whenComplete((v, e) -> {
      if (e == null) {
        mine.complete(null);
      } else {
        mine.completeExceptionally(e);
      }
    });
    return mine;
  }

  boolean removalStarted() {
    return removal.get() != null;
  }

  @Override
  public String toString() {
    return "instance " + instanceId + " of function '" + function + "' (container "
        + nativeId.substring(0, Math.min(12, nativeId.length())) + ")";
  }
}
