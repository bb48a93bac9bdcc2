package dev.ldd.wire.testing;

import dev.ldd.core.spi.Endpoint;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.LddFunction;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** The real Java wrapper, run on a thread of the test JVM and listening on a free loopback port. */
public final class InProcessWrapper implements AutoCloseable {
  private final LddFunction function;
  private final int port;
  private final CompletableFuture<LddFunction.Exit> exit = new CompletableFuture<>();

  public InProcessWrapper(String name, Handler handler, int concurrency) {
    function = LddFunction.builder(name, handler)
        .concurrency(concurrency)
        .address(InetAddress.getLoopbackAddress())
        .build();
    port = function.bind();
    Thread t = new Thread(() -> {
      try {
        exit.complete(function.run());
      } catch (Throwable e) {
        exit.completeExceptionally(e);
      }
    }, "test-wrapper-" + name);
    t.setDaemon(true);
    t.start();
  }

  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", port);
  }

  public int port() {
    return port;
  }

  /** Completes with why {@link LddFunction#run()} returned. */
  public CompletableFuture<LddFunction.Exit> exit() {
    return exit;
  }

  @Override
  public void close() {
    function.close();
  }
}
