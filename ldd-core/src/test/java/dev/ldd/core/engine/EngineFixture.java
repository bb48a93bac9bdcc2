package dev.ldd.core.engine;

import com.google.common.util.concurrent.MoreExecutors;
import dev.ldd.core.Disposition;
import dev.ldd.core.EngineListener;
import dev.ldd.core.StopReason;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.policy.Backoff;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.FakeContainerRuntime;
import dev.ldd.core.testing.FakeFunctionTransport;
import dev.ldd.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One engine on an embedded broker, a fake runtime and a fake transport, with a manual clock and every
 * executor direct: each test step runs to completion on the test's thread.
 */
final class EngineFixture {
  static final String QUEUE = "q";

  final ManualScheduler clock = new ManualScheduler();
  final InMemoryBroker broker = new InMemoryBroker(MoreExecutors.directExecutor());
  final FakeContainerRuntime runtime = new FakeContainerRuntime();
  final FakeFunctionTransport transport = new FakeFunctionTransport(runtime, clock);
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<Settled> settled = Collections.synchronizedList(new ArrayList<>());
  Dispatcher dispatcher;

  record Settled(InboundMessage message, String function, Disposition disposition, String reason) {}

  EngineFixture() {
    this(0);
  }

  /** With the input queue's max-redelivery bound (0: none). */
  EngineFixture(int maxRedeliveries) {
    broker.createQueue(QUEUE, List.of("in/>"), maxRedeliveries);
  }

  EngineFixture queue(String name, String... subscriptions) {
    broker.createQueue(name, subscriptions);
    return this;
  }

  static FunctionSpec.Builder fn(String name) {
    return FunctionSpec.builder(name, "test/" + name + ":1");
  }

  Dispatcher start(List<FunctionSpec> functions, List<Route> routes) {
    return start(functions, routes, b -> { });
  }

  Dispatcher start(List<FunctionSpec> functions, List<Route> routes, Consumer<Dispatcher.Builder> customize) {
    Dispatcher.Builder b = Dispatcher.builder()
        .daemonId("test-daemon")
        .source(broker.source(QUEUE))
        .publisher(broker)
        .runtime(runtime)
        .transport(transport)
        .functions(functions)
        .routes(routes)
        .scheduler(clock)
        .eventLoop(MoreExecutors.directExecutor())
        .settlementExecutor(MoreExecutors.directExecutor())
        .startBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 3))
        .listener(recorder());
    customize.accept(b);
    dispatcher = b.build();
    dispatcher.startAsync().awaitRunning();
    return dispatcher;
  }

  /** One function {@code f} taking every topic on the queue. */
  Dispatcher startOne(FunctionSpec spec) {
    return start(List.of(spec), List.of(Route.of(QUEUE, "in/>", spec.name())));
  }

  void publish(String topic) {
    publish(topic, "payload");
  }

  void publish(String topic, String payload) {
    broker.publish(new Publication(topic, payload.getBytes(), Map.of())).join();
  }

  InMemoryBroker.QueueStats stats() {
    return broker.stats(QUEUE);
  }

  List<Settled> settled(Disposition d) {
    synchronized (settled) {
      return settled.stream().filter(s -> s.disposition() == d).toList();
    }
  }

  List<String> events(String prefix) {
    synchronized (events) {
      return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
  }

  private EngineListener recorder() {
    return new EngineListener() {
      @Override
      public void instanceStarting(String function, String instanceId, boolean prewarm) {
        events.add("starting " + instanceId + (prewarm ? " prewarm" : ""));
      }

      @Override
      public void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {
        events.add("ready " + instanceId + " " + coldStart.keySet());
      }

      @Override
      public void instanceStopped(String function, String instanceId, StopReason reason, String detail) {
        events.add("stopped " + instanceId + " " + reason);
      }

      @Override
      public void invocationStarted(String function, String instanceId, String invocationId, boolean cold) {
        events.add("invoke " + instanceId + (cold ? " cold" : " warm"));
      }

      @Override
      public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
        settled.add(new Settled(message, function, disposition, reason));
      }

      @Override
      public void backpressure(boolean paused, int inFlight) {
        events.add((paused ? "paused " : "resumed ") + inFlight);
      }
    };
  }
}
