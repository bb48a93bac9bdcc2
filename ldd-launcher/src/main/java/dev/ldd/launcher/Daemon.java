package dev.ldd.launcher;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.Service;
import dev.ldd.core.DrainReport;
import dev.ldd.core.LddException;
import dev.ldd.core.engine.Dispatcher;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.launcher.DaemonComponents.Bus;
import dev.ldd.launcher.admin.AdminServer;
import dev.ldd.launcher.config.LddConfig;
import dev.ldd.launcher.logging.LoggingListener;
import dev.ldd.launcher.metrics.MetricsListener;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled daemon: the bus, runtime and transport from {@link DaemonComponents}, the engine
 * ({@link Dispatcher}) with metrics and logging listeners, and the admin endpoint.
 *
 * <p>{@link #start} brings up the admin endpoint first (so {@code /healthz} answers during prewarm, with
 * {@code /readyz} 503 until the engine runs), then the engine. {@link #stop} drains the engine, then
 * closes the admin endpoint, the transport, the runtime and the bus. {@link #runUntilSignalled} is what
 * {@code ldd run} does. Start and stop block the caller; call each once, from one thread.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final LddConfig config;
  private final Bus bus;
  private final ContainerRuntime runtime;
  private final FunctionTransport transport;
  private final Dispatcher engine;
  private final PrometheusMeterRegistry registry;
  private final AdminServer admin;

  private Daemon(LddConfig config, Bus bus, ContainerRuntime runtime, FunctionTransport transport) {
    this.config = config;
    this.bus = bus;
    this.runtime = runtime;
    this.transport = transport;
    this.registry = MetricsListener.newPrometheusRegistry();
    String id = config.daemon().id();
    this.engine = Dispatcher.builder()
        .daemonId(id)
        .source(bus.source())
        .publisher(bus.publisher())
        .runtime(runtime)
        .transport(transport)
        .functions(config.functionSpecs())
        .routes(config.routes())
        .noRoutePolicy(config.noRoute().policy())
        .noRouteDeadLetter(config.noRoute().deadLetter())
        .maxInFlight(config.daemon().maxInFlight())
        .drainTimeout(config.daemon().drainTimeout())
        .stopGrace(config.runtime().stopGrace())
        .listener(new MetricsListener(registry, config.functions().stream().map(f -> f.name()).toList()))
        .listener(new LoggingListener())
        .build();
    AdminServer.Builder adminBuilder = AdminServer.builder()
        .bind(config.daemon().admin().bind())
        .port(config.daemon().admin().port())
        .readiness(engine::isRunning)
        .status(engine::status)
        .metrics(registry::scrape);
    bus.adminPublisher().ifPresent(adminBuilder::publisher);
    this.admin = adminBuilder.build();
  }

  /**
   * Assembles a daemon from a validated config; nothing runs yet. Whatever a factory opened is closed
   * again when a later one fails.
   */
  public static Daemon create(LddConfig config, DaemonComponents components) {
    requireNonNull(config, "config");
    requireNonNull(components, "components");
    String id = config.daemon().id();
    Bus bus = components.sources().open(config.source(), id);
    ContainerRuntime runtime = null;
    try {
      runtime = components.runtimes().create(config.runtime(), id);
      FunctionTransport transport = components.transports().create();
      try {
        return new Daemon(config, bus, runtime, transport);
      } catch (RuntimeException e) {
        transport.close();
        throw e;
      }
    } catch (RuntimeException e) {
      if (runtime != null) {
        runtime.close();
      }
      bus.close().run();
      throw e;
    }
  }

  /** Starts the admin endpoint, then the engine; blocks until both run. */
  public Daemon start() {
    try {
      admin.startAsync().awaitRunning();
    } catch (IllegalStateException e) {
      closeAdapters();
      Throwable cause = admin.state() == Service.State.FAILED ? admin.failureCause() : e;
      throw new LddException("the admin endpoint cannot listen on " + config.daemon().admin().bind() + ":"
          + config.daemon().admin().port() + ": " + cause.getMessage()
          + "; choose another daemon.admin.port (0 picks a free one)", cause);
    }
    try {
      engine.startAsync().awaitRunning();
    } catch (IllegalStateException e) {
      admin.stopAsync().awaitTerminated();
      closeAdapters();
      Throwable cause = engine.state() == Service.State.FAILED ? engine.failureCause() : e;
      throw new LddException("the engine did not start: " + cause.getMessage(), cause);
    }
    log.info("daemon '{}' running: {} functions, {} routes, admin on http://{}:{}", config.daemon().id(),
        config.functions().size(), config.routes().size(), adminAddress().getHostString(), adminAddress().getPort());
    return this;
  }

  /** Drains the engine and releases everything; returns what the drain did, if the engine ran. */
  public Optional<DrainReport> stop() {
    try {
      engine.stopAsync().awaitTerminated();
    } catch (IllegalStateException e) {
      log.warn("the engine failed: {}", e.getMessage());
    } finally {
      admin.stopAsync().awaitTerminated();
      closeAdapters();
    }
    return engine.lastDrainReport();
  }

  private void closeAdapters() {
    closeQuietly("transport", transport::close);
    closeQuietly("runtime", runtime::close);
    closeQuietly("bus", bus.close());
  }

  private static void closeQuietly(String what, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      log.warn("closing the {} failed: {}", what, e.getMessage());
    }
  }

  /**
   * Starts, then runs until SIGTERM or SIGINT, then drains and returns 0 (1 if the engine failed on its
   * own). A second signal during the drain halts the JVM at once with 130; the instances left behind are
   * reaped as orphans at the next start of a daemon with the same id.
   */
  public int runUntilSignalled() {
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger signals = new AtomicInteger();
    Signals.onTermination(signal -> {
      if (signals.incrementAndGet() == 1) {
        log.info("SIG{}: draining for up to {} ms (signal again to stop at once)", signal,
            config.daemon().drainTimeout().toMillis());
        stop.countDown();
      } else {
        log.warn("SIG{} again: stopping at once without draining", signal);
        Runtime.getRuntime().halt(130);
      }
    });
    start();
    engine.addListener(new Service.Listener() {
      @Override
      public void failed(Service.State from, Throwable failure) {
        log.error("the engine failed: {}", failure.getMessage(), failure);
        stop.countDown();
      }
    }, Runnable::run);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean failed = engine.state() == Service.State.FAILED;
    stop().ifPresent(report -> log.info("daemon '{}' stopped", config.daemon().id()));
    return failed ? 1 : 0;
  }

  /** The admin endpoint's address, once started. */
  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  /** The engine, for status and tests. */
  public Dispatcher engine() {
    return engine;
  }
}
