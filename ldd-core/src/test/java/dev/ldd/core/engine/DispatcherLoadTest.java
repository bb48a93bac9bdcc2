package dev.ldd.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.Disposition;
import dev.ldd.core.EngineListener;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.FakeContainerRuntime;
import dev.ldd.core.testing.FakeFunction;
import dev.ldd.core.testing.FakeFunctionTransport;
import dev.ldd.core.testing.ManualScheduler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine on its real threads, the broker on its own, and functions answering from a pool. */
class DispatcherLoadTest {

  @Test
  void concurrencyPerInstanceAndMaxInstancesAreNeverExceededUnderConcurrentLoad() throws Exception {
    int messages = 3_000;
    ManualScheduler clock = new ManualScheduler();
    InMemoryBroker broker = new InMemoryBroker();
    broker.createQueue("q", "in/>");
    FakeContainerRuntime runtime = new FakeContainerRuntime();
    FakeFunctionTransport transport = new FakeFunctionTransport(runtime, clock);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    // Answers later, from other threads, in whatever order the pool gets to them.
    transport.behaviour("f", call -> CompletableFuture.supplyAsync(() -> {
      if (ThreadLocalRandom.current().nextInt(8) == 0) {
        Thread.yield();
      }
      return InvocationResult.ok();
    }, workers));
    transport.announce("f", 8);
    CountDownLatch settled = new CountDownLatch(messages);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    Dispatcher d = Dispatcher.builder()
        .source(broker.source("q"))
        .publisher(broker)
        .runtime(runtime)
        .transport(transport)
        .function(FunctionSpec.builder("f", "f:1").concurrency(3, 0, 4).build())
        .route(Route.of("q", "in/>", "f"))
        .maxInFlight(64)
        .scheduler(clock)
        .listener(new EngineListener() {
          @Override
          public void deliveryReceived(InboundMessage message) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          }

          @Override
          public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
            inFlight.decrementAndGet();
            settled.countDown();
          }
        })
        .build();
    d.startAsync().awaitRunning();
    try {
      ExecutorService publishers = Executors.newFixedThreadPool(2);
      for (int p = 0; p < 2; p++) {
        publishers.execute(() -> {
          for (int i = 0; i < messages / 2; i++) {
            broker.publish(new Publication("in/" + i, new byte[16], Map.of()));
          }
        });
      }
      publishers.shutdown();

      assertThat(settled.await(60, TimeUnit.SECONDS)).as("all messages settled").isTrue();

      assertThat(broker.stats("q").accepted()).isEqualTo(messages);
      assertThat(transport.maxInFlightSeen("f")).isLessThanOrEqualTo(3).isPositive();
      assertThat(runtime.maxAliveSeen("f")).isLessThanOrEqualTo(4);
      assertThat(maxInFlight.get()).isLessThanOrEqualTo(64);
    } finally {
      d.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
      workers.shutdownNow();
      broker.close();
    }
    assertThat(runtime.running()).isEmpty();
  }
}
