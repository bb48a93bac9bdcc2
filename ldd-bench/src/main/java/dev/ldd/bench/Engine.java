package dev.ldd.bench;

import dev.ldd.core.Disposition;
import dev.ldd.core.EngineListener;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.engine.Dispatcher;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One daemon under load: the embedded broker (queue {@code q}), a {@link Dispatcher} on the given runtime
 * and transport, and a listener that counts settlements and releases the load window. Messages are
 * published by the driver's own thread; a message's latency is publish to its settlement.
 */
final class Engine implements AutoCloseable {
  final InMemoryBroker broker;
  final Dispatcher dispatcher;
  final LongAdder accepted = new LongAdder();
  final LongAdder notAccepted = new LongAdder();
  private volatile Semaphore window = new Semaphore(0);
  private final AtomicLong reported = new AtomicLong();
  // Stage timestamps of the message in flight, for latencies() at concurrency 1.
  private volatile long startedNanos;
  private volatile long endedNanos;
  private volatile long settledNanos;

  // Cold-start observations (the last instance that became ready, the last invocation that ended).
  volatile Map<String, Duration> lastColdStart;
  volatile long lastReadyNanos;
  volatile Duration lastInvocation;

  Engine(String daemonId, ContainerRuntime runtime, FunctionTransport transport, List<FunctionSpec> functions,
      List<Route> routes, int maxInFlight) {
    this(daemonId, runtime, transport, functions, routes, maxInFlight, false);
  }

  /**
   * {@code inline}: the embedded bus delivers on the publishing thread and the engine settles on its event
   * loop (both supported settings, right for a bus whose calls never block), so two thread hand-offs of
   * the default assembly are gone; shows what those hand-offs cost.
   */
  Engine(String daemonId, ContainerRuntime runtime, FunctionTransport transport, List<FunctionSpec> functions,
      List<Route> routes, int maxInFlight, boolean inline) {
    String mode = System.getProperty("bench.inline", "both");
    broker = inline && !mode.equals("settle") ? new InMemoryBroker(Runnable::run) : new InMemoryBroker();
    broker.createQueue("q", ">");
    Dispatcher.Builder b = Dispatcher.builder();
    if (inline && !mode.equals("bus")) {
      b.settlementExecutor(Runnable::run);
    }
    dispatcher = b
        .daemonId(daemonId)
        .source(broker.source("q"))
        .publisher(broker)
        .runtime(runtime)
        .transport(transport)
        .functions(functions)
        .routes(routes)
        .maxInFlight(maxInFlight)
        .stopGrace(Duration.ofSeconds(2))
        .drainTimeout(Duration.ofSeconds(10))
        .listener(new EngineListener() {
          @Override
          public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
            settledNanos = System.nanoTime();
            if (disposition == Disposition.ACCEPTED) {
              accepted.increment();
            } else {
              notAccepted.increment();
              if (reported.getAndIncrement() < 5) {
                System.err.println("bench: message not accepted: " + disposition + " " + reason);
              }
            }
            // A failed message goes back to the bus and settles again later: it still holds its slot.
            if (disposition != Disposition.FAILED) {
              window.release();
            }
          }

          @Override
          public void invocationStarted(String function, String instanceId, String invocationId, boolean coldStart) {
            startedNanos = System.nanoTime();
          }

          @Override
          public void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {
            lastReadyNanos = System.nanoTime();
            lastColdStart = coldStart;
          }

          @Override
          public void invocationEnded(String function, String instanceId, String invocationId,
              InvocationOutcome outcome, Duration duration, String error) {
            lastInvocation = duration;
            endedNanos = System.nanoTime();
          }
        })
        .build();
  }

  Engine start() throws Exception {
    dispatcher.startAsync().awaitRunning(60, TimeUnit.SECONDS);
    return this;
  }

  Engine awaitPrewarmed() throws Exception {
    dispatcher.prewarmed().get(180, TimeUnit.SECONDS);
    return this;
  }

  /** One message, published and awaited; nanoseconds from publish to settlement. */
  long one(Publication p) throws InterruptedException {
    return one(p, null, 0);
  }

  /**
   * One message; with {@code stages}, also records into {@code stages[k][i]} how long each stage took, from
   * the listener's calls on the engine's threads: publish -> invocation started (the bus's delivery and the
   * hop to the event loop), -> invocation ended (transport, function, and the hop back to the loop),
   * -> settled (the hop to the settlement thread and the bus's accept), -> the publishing thread awake.
   */
  private long one(Publication p, long[][] stages, int i) throws InterruptedException {
    Semaphore w = window;
    long t0 = System.nanoTime();
    broker.publish(p);
    if (!w.tryAcquire(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no settlement within 120 s");
    }
    long t1 = System.nanoTime();
    if (stages != null) {
      stages[0][i] = startedNanos - t0;
      stages[1][i] = endedNanos - startedNanos;
      stages[2][i] = settledNanos - endedNanos;
      stages[3][i] = t1 - settledNanos;
    }
    return t1 - t0;
  }

  /** Latencies of {@code n} messages one at a time, after {@code warmup} more; nanoseconds. */
  long[] latencies(Publication p, int warmup, int n) throws InterruptedException {
    return latencies(p, warmup, n, null);
  }

  /** As {@link #latencies(Publication, int, int)}, with each message's stages into {@code stages} (4 x n). */
  long[] latencies(Publication p, int warmup, int n, long[][] stages) throws InterruptedException {
    window = new Semaphore(0);
    for (int i = 0; i < warmup; i++) {
      one(p);
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = one(p, stages, i);
    }
    return out;
  }

  /** What {@link #latencies(Publication, int, int, long[][])} names its stages. */
  static final String[] STAGES = {
      "publish -> invocation sent (bus delivery, hop to the loop, routing)",
      "invocation sent -> result on the loop (transport, function, hop back)",
      "result -> settled (hop to the settlement thread, accept)",
      "settled -> publisher awake (the driver's own wake-up)"};

  /** The result of a load run. */
  record Load(double perSecond, long messages, long processCpuNanos, long dispatchCpuNanos, long maxRssKb) {}

  /**
   * Keeps {@code concurrency} messages outstanding (publishing {@code pubs} round robin) for
   * {@code warmupMillis} and then {@code millis}; measures over the second part.
   */
  Load load(Publication[] pubs, int concurrency, long warmupMillis, long millis) throws Exception {
    Semaphore w = new Semaphore(concurrency);
    window = w;
    AtomicBoolean stop = new AtomicBoolean();
    Thread publisher = new Thread(() -> {
      int i = 0;
      try {
        while (!stop.get()) {
          if (w.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            broker.publish(pubs[i]);
            i = i + 1 == pubs.length ? 0 : i + 1;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-publisher");
    publisher.start();
    Thread.sleep(warmupMillis);
    long n0 = accepted.sum() + notAccepted.sum();
    long cpu0 = Probes.processCpuNanos();
    long d0 = Probes.threadCpuNanos("ldd-dispatch");
    long t0 = System.nanoTime();
    long maxRss = 0;
    long end = t0 + millis * 1_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
      maxRss = Math.max(maxRss, Probes.rssKb());
    }
    long n1 = accepted.sum() + notAccepted.sum();
    long t1 = System.nanoTime();
    long cpu1 = Probes.processCpuNanos();
    long d1 = Probes.threadCpuNanos("ldd-dispatch");
    stop.set(true);
    publisher.join();
    // Wait for what is still outstanding to settle before the next run.
    if (!w.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
      System.err.println("bench: messages still outstanding after the load run");
    }
    long n = n1 - n0;
    return new Load(n * 1e9 / (t1 - t0), n, cpu1 - cpu0, d1 - d0, maxRss);
  }

  @Override
  public void close() throws Exception {
    if (dispatcher.isRunning()) {
      dispatcher.stopAsync().awaitTerminated(60, TimeUnit.SECONDS);
    }
    broker.close();
  }
}
