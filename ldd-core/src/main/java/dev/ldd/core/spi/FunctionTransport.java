package dev.ldd.core.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Connects the engine to instances. Implementations are thread-safe and never block the caller.
 */
public interface FunctionTransport extends AutoCloseable {
  /**
   * Connects to {@code endpoint}, retrying until the wrapper's ready handshake arrives or
   * {@code startTimeout} passes, and completes with the ready connection. Fails with
   * {@link dev.ldd.core.PlatformException} on timeout and with {@link dev.ldd.core.ProtocolException} on
   * an incompatible handshake. {@code instanceId} names the instance in errors and logs; publications
   * made on the connection go to {@code sink}.
   */
  CompletableFuture<FunctionConnection> connect(
      String instanceId, Endpoint endpoint, Duration startTimeout, PublicationSink sink);

  /** Closes every connection and releases the transport's threads. */
  @Override
  void close();
}
