package dev.ldd.bench;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The daemon-side transport connected over loopback to the Java wrapper in the same JVM, whose function
 * answers OK at once: what is measured is the protocol path, not a function.
 */
final class LddLoopback implements AutoCloseable {
  static final int PAYLOAD_BYTES = 256;

  private final LddFunction function;
  private final TcpFunctionTransport transport;
  final FunctionConnection connection;
  private final InboundMessage message;
  private final Instant deadline = Instant.now().plus(Duration.ofHours(1));
  private long nextId;

  LddLoopback(int concurrency) throws Exception {
    function = LddFunction.builder("bench", (inv, ctx) -> Result.ok())
        .concurrency(concurrency)
        .address(InetAddress.getLoopbackAddress())
        .build();
    int port = function.bind();
    Thread t = new Thread(function::run, "bench-wrapper");
    t.setDaemon(true);
    t.start();
    transport = TcpFunctionTransport.create();
    connection = transport.connect("bench-1", new Endpoint("127.0.0.1", port), Duration.ofSeconds(10), (id, p) ->
        CompletableFuture.completedFuture(null)).get(10, TimeUnit.SECONDS);
    message = new InboundMessage("bench", "bench/topic", new byte[PAYLOAD_BYTES], Map.of(), null, null, null, false,
        OptionalInt.of(1));
  }

  /** A new invocation of the 256-byte message; single-threaded callers only. */
  Invocation nextInvocation() {
    return new Invocation(Long.toString(nextId++), "bench", message, deadline);
  }

  @Override
  public void close() {
    connection.close();
    transport.close();
    function.close();
  }
}
