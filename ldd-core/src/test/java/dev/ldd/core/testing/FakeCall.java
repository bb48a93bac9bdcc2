package dev.ldd.core.testing;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.spi.Publication;
import java.util.concurrent.CompletableFuture;

/** One invocation as a {@link FakeFunction} sees it. */
public final class FakeCall {
  private final Invocation invocation;
  private final FakeFunctionTransport.FakeConnection connection;

  FakeCall(Invocation invocation, FakeFunctionTransport.FakeConnection connection) {
    this.invocation = invocation;
    this.connection = connection;
  }

  public Invocation invocation() {
    return invocation;
  }

  /** The engine's id of the instance running it. */
  public String instanceId() {
    return connection.instanceId();
  }

  /** Publishes through the engine, as a function's publish would; completes when the engine took it. */
  public CompletableFuture<Void> publish(Publication publication) {
    return connection.publish(invocation.id(), publication);
  }

  /** Makes the instance running this call die, as a crash would. */
  public void crashInstance() {
    connection.crash();
  }
}
