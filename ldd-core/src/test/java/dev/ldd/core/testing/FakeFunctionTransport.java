package dev.ldd.core.testing;

import dev.ldd.core.InstanceLostException;
import dev.ldd.core.InvocationTimeoutException;
import dev.ldd.core.PlatformException;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import dev.ldd.core.spi.ReadyInfo;
import dev.ldd.core.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real fake of the transport, connecting to {@link FakeContainerRuntime} instances: each connection
 * runs the function's {@link FakeFunction}, fails its invocations in flight when the instance dies or
 * the connection closes, and records the concurrency it saw. Fault injection: instances that never get
 * ready, announced concurrency. Thread-safe.
 */
public final class FakeFunctionTransport implements FunctionTransport {
  private final FakeContainerRuntime runtime;
  private final Scheduler scheduler;
  private final Map<String, FakeFunction> behaviour = new ConcurrentHashMap<>();
  private final Map<String, Integer> announcedConcurrency = new ConcurrentHashMap<>();
  private final Map<Endpoint, FakeFunction> behaviourAt = new ConcurrentHashMap<>();
  private final Map<Endpoint, Integer> announcedAt = new ConcurrentHashMap<>();
  private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
  private final List<FakeConnection> connections = new CopyOnWriteArrayList<>();

  public FakeFunctionTransport(FakeContainerRuntime runtime, Scheduler scheduler) {
    this.runtime = runtime;
    this.scheduler = scheduler;
  }

  /** What instances of {@code function} do (OK at once by default). */
  public FakeFunctionTransport behaviour(String function, FakeFunction f) {
    behaviour.put(function, f);
    return this;
  }

  /** The concurrency instances of {@code function} announce (64 by default). */
  public FakeFunctionTransport announce(String function, int maxConcurrency) {
    announcedConcurrency.put(function, maxConcurrency);
    return this;
  }

  /** What the instance at {@code endpoint} does, whatever its function's behaviour. */
  public FakeFunctionTransport behaviourAt(Endpoint endpoint, FakeFunction f, int maxConcurrency) {
    behaviourAt.put(endpoint, f);
    announcedAt.put(endpoint, maxConcurrency);
    return this;
  }

  /** Instances of {@code function} start but never send their ready handshake. */
  public FakeFunctionTransport neverReady(String function) {
    neverReady.add(function);
    return this;
  }

  @Override
  public CompletableFuture<FunctionConnection> connect(
      String instanceId, Endpoint endpoint, Duration startTimeout, PublicationSink sink) {
    FakeContainerRuntime.FakeInstance inst = runtime.atEndpoint(endpoint);
    if (inst == null || !inst.running()) {
      return CompletableFuture.failedFuture(new PlatformException("instance " + instanceId + ": connection to "
          + endpoint + " refused"));
    }
    CompletableFuture<FunctionConnection> ready = new CompletableFuture<>();
    if (neverReady.contains(inst.function())) {
      scheduler.schedule(startTimeout, () -> ready.completeExceptionally(new PlatformException("instance "
          + instanceId + " sent no ready handshake within " + startTimeout)));
      return ready;
    }
    int concurrency = announcedAt.getOrDefault(endpoint, announcedConcurrency.getOrDefault(inst.function(), 64));
    FakeConnection c = new FakeConnection(instanceId, inst, new ReadyInfo("1.0", inst.function(), concurrency, "fake"),
        sink, behaviourAt.getOrDefault(endpoint, behaviour.getOrDefault(inst.function(), FakeFunction.ok())));
    connections.add(c);
    inst.exit().whenComplete((exit, e) -> c.lose("instance exited: " + (exit == null ? "?" : exit.reason())));
    ready.complete(c);
    return ready;
  }

  @Override
  public void close() {
    connections.forEach(FakeConnection::close);
  }

  public List<FakeConnection> connections() {
    return List.copyOf(connections);
  }

  /** The most invocations ever in flight at once on one connection of {@code function}. */
  public int maxInFlightSeen(String function) {
    return connections.stream().filter(c -> c.instance.function().equals(function))
        .mapToInt(c -> c.maxInFlight.get()).max().orElse(0);
  }

  /** One fake connection. */
  public final class FakeConnection implements FunctionConnection {
    private final String instanceId;
    private final FakeContainerRuntime.FakeInstance instance;
    private final ReadyInfo ready;
    private final PublicationSink sink;
    private final FakeFunction fn;
    private final Map<String, CompletableFuture<InvocationResult>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger invocations = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    FakeConnection(String instanceId, FakeContainerRuntime.FakeInstance instance, ReadyInfo ready,
        PublicationSink sink, FakeFunction fn) {
      this.instanceId = instanceId;
      this.instance = instance;
      this.ready = ready;
      this.sink = sink;
      this.fn = fn;
    }

    String instanceId() {
      return instanceId;
    }

    @Override
    public ReadyInfo ready() {
      return ready;
    }

    @Override
    public CompletableFuture<InvocationResult> invoke(Invocation invocation) {
      if (closed.isDone()) {
        return CompletableFuture.failedFuture(new InstanceLostException("instance " + instanceId + " is closed"));
      }
      CompletableFuture<InvocationResult> f = new CompletableFuture<>();
      inFlight.put(invocation.id(), f);
      if (closed.isDone() && inFlight.remove(invocation.id(), f)) {
        return CompletableFuture.failedFuture(new InstanceLostException("instance " + instanceId + " is closed"));
      }
      maxInFlight.accumulateAndGet(inFlight.size(), Math::max);
      invocations.incrementAndGet();
      Duration untilDeadline = Duration.between(scheduler.now(), invocation.deadline());
      scheduler.schedule(untilDeadline, () -> {
        if (inFlight.remove(invocation.id(), f)) {
          f.completeExceptionally(new InvocationTimeoutException("instance " + instanceId + ": invocation "
              + invocation.id() + " passed its deadline"));
        }
      });
      fn.invoke(new FakeCall(invocation, this)).whenComplete((r, e) -> {
        // Leave the in-flight set before the engine can hear of the result, so the count stays exact.
        if (inFlight.remove(invocation.id(), f)) {
          f.complete(e != null ? InvocationResult.error(String.valueOf(e.getMessage())) : r);
        }
      });
      return f;
    }

    CompletableFuture<Void> publish(String invocationId, Publication p) {
      return sink.publish(invocationId, p).toCompletableFuture();
    }

    void crash() {
      runtime.crash(instanceId);
    }

    void lose(String why) {
      if (closed.isDone()) {
        return;
      }
      for (String id : List.copyOf(inFlight.keySet())) {
        CompletableFuture<InvocationResult> f = inFlight.remove(id);
        if (f != null) {
          f.completeExceptionally(new InstanceLostException("instance " + instanceId + ": " + why));
        }
      }
      closed.complete(null);
    }

    @Override
    public CompletableFuture<Void> closed() {
      return closed;
    }

    @Override
    public void close() {
      lose("closed by the daemon");
    }

    public int invocations() {
      return invocations.get();
    }

    public int maxInFlight() {
      return maxInFlight.get();
    }
  }
}
