package dev.ldd.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and stops instances of functions (containers, processes). Implementations are thread-safe. No
 * method blocks the caller beyond handing the work to the runtime's own threads: results come back as
 * futures completed on runtime threads, so callers must not block in their callbacks.
 */
public interface ContainerRuntime extends AutoCloseable {
  /**
   * Starts an instance and completes once it is running and its endpoint is known. It does not wait for
   * the function's wrapper to be ready: the engine learns that from the wire handshake. Fails with
   * {@link dev.ldd.core.PlatformException} when the instance cannot be started (unknown image, engine
   * unreachable, exited during start), with a message naming the function and what to do.
   */
  CompletableFuture<RuntimeInstance> start(InstanceRequest request);

  /**
   * Asks the instance to stop, waits up to {@code grace}, then kills it, and removes what is left of it.
   * Completes when it is gone. Stopping an unknown or already stopped instance completes normally.
   */
  CompletableFuture<Void> stop(String nativeId, Duration grace);

  /** Kills the instance at once and removes it; completes when it is gone. Idempotent. */
  CompletableFuture<Void> kill(String nativeId);

  /**
   * Lists every instance this runtime holds for {@code daemonId}, running or not, including those an
   * earlier run of the daemon left behind (to reap orphans after a crash).
   */
  CompletableFuture<List<OwnedInstance>> listOwned(String daemonId);

  /** Releases the runtime's clients and threads. Does not stop instances. */
  @Override
  void close();
}
