package dev.ldd.core.spi;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import java.util.concurrent.CompletableFuture;

/**
 * A persistent connection to one ready instance. Thread-safe; no method blocks the caller.
 */
public interface FunctionConnection {
  /** What the wrapper announced when it became ready. */
  ReadyInfo ready();

  /**
   * Sends an invocation. The future completes with the function's result; or fails with
   * {@link dev.ldd.core.InvocationTimeoutException} once {@link Invocation#deadline()} has passed, or with
   * {@link dev.ldd.core.InstanceLostException} when the connection is lost, which fails exactly the
   * invocations in flight on it. Invoking on a closed connection fails at once. The caller keeps the
   * number in flight within {@link ReadyInfo#maxConcurrency()}.
   */
  CompletableFuture<InvocationResult> invoke(Invocation invocation);

  /**
   * Completes (normally) when the connection has closed for any reason, including {@link #close}, after
   * the invocations in flight on it have been failed.
   */
  CompletableFuture<Void> closed();

  /** Closes the connection; the wrapper exits when it sees the close. Idempotent. */
  void close();
}
