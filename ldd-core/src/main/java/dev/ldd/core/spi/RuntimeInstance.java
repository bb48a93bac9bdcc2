package dev.ldd.core.spi;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** An instance a {@link ContainerRuntime} has started. */
public interface RuntimeInstance {
  /** The engine's id for it, from the {@link InstanceRequest}. */
  String instanceId();

  /** The runtime's own id (a container id, a process id). */
  String nativeId();

  /** Where the function's wrapper listens. */
  Endpoint endpoint();

  /**
   * How long each phase of starting took, in order, such as {@code create} and {@code start}. The engine
   * adds {@code ready} (the wire handshake) and reports the whole breakdown.
   */
  Map<String, Duration> startPhases();

  /**
   * Completes when the instance has exited, for whatever reason, including a stop or kill the engine
   * asked for. Runtimes report an exit they did not cause within about a second. Completed on a runtime
   * thread: do not block in its callbacks.
   */
  CompletableFuture<InstanceExit> exit();
}
