package dev.ldd.wire.transport;

import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.testing.FunctionTransportContract;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.Result;
import dev.ldd.wire.testing.InProcessWrapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;

/** The TCP transport against the real Java wrapper passes the core's transport contract. */
class TcpFunctionTransportContractTest extends FunctionTransportContract {
  private final List<InProcessWrapper> wrappers = new ArrayList<>();
  private final Map<Endpoint, InProcessWrapper> byEndpoint = new HashMap<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stopWrappers() {
    never.countDown();
    wrappers.forEach(InProcessWrapper::close);
  }

  @Override
  protected FunctionTransport createTransport() {
    return TcpFunctionTransport.builder().build();
  }

  @Override
  protected Endpoint startInstance(Behaviour behaviour, int concurrency) {
    Handler h = switch (behaviour) {
      case OK -> (inv, ctx) -> Result.ok();
      case ERROR -> (inv, ctx) -> Result.error("contract error");
      case REJECT -> (inv, ctx) -> Result.reject("contract reject");
      case HANG -> (inv, ctx) -> {
        never.await();
        return Result.ok();
      };
      case PUBLISH_THEN_OK -> (inv, ctx) -> {
        ctx.publish("contract/out", inv.payload(), Map.of());
        return Result.ok();
      };
    };
    InProcessWrapper w = new InProcessWrapper("contract", h, concurrency);
    wrappers.add(w);
    byEndpoint.put(w.endpoint(), w);
    return w.endpoint();
  }

  @Override
  protected void crash(Endpoint endpoint) {
    byEndpoint.get(endpoint).close();
  }

  @Override
  protected Instant now() {
    return Instant.now();
  }

  @Override
  protected void letTimePass(Duration d) {
    // Real time passes while the test awaits the result.
  }
}
