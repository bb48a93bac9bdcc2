package dev.ldd.core.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.AbstractService;
import com.google.common.util.concurrent.MoreExecutors;
import dev.ldd.core.ConfigException;
import dev.ldd.core.Disposition;
import dev.ldd.core.DrainReport;
import dev.ldd.core.EngineListener;
import dev.ldd.core.InstanceLostException;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.InvocationTimeoutException;
import dev.ldd.core.LddException;
import dev.ldd.core.NoRoutePolicy;
import dev.ldd.core.PlatformException;
import dev.ldd.core.StopReason;
import dev.ldd.core.model.DeadLetterPolicy;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.PublishMode;
import dev.ldd.core.policy.Backoff;
import dev.ldd.core.policy.DeadLetters;
import dev.ldd.core.routing.Route;
import dev.ldd.core.routing.RoutingTable;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.core.time.Scheduler;
import dev.ldd.core.time.SystemScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch engine: takes deliveries from a {@link MessageSource}, routes each to its function,
 * runs it on a warm or newly started instance, and settles the message by the failure contract.
 *
 * <p>Concurrency policy, all of it: every piece of engine state is confined to one sequential event loop
 * (by default the thread {@code ldd-dispatch}); callbacks from the source, the runtime, the transport
 * and the publisher only post work to it. Settlement calls, which may block on a real bus, run on a
 * separate settlement executor. At most {@code maxInFlight} messages are between delivery and
 * settlement: at the bound the source is paused, and resumed once a quarter of the slots are free.
 *
 * <p>Lifecycle is Guava's {@link com.google.common.util.concurrent.Service}: {@code startAsync()} reaps
 * orphans the runtime still holds for this daemon id, prewarms {@code minInstances} and starts the
 * source; {@code stopAsync()} drains (see {@link #lastDrainReport()}).
 */
public final class Dispatcher extends AbstractService {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final String daemonId;
  private final MessageSource source;
  private final MessagePublisher publisher;
  private final ContainerRuntime runtime;
  private final FunctionTransport transport;
  private final RoutingTable routing;
  private final Map<String, FunctionPool> pools = new LinkedHashMap<>();
  private final NoRoutePolicy noRoutePolicy;
  private final DeadLetterPolicy noRouteDeadLetter;
  private final int maxInFlight;
  private final int resumeAt;
  private final Duration drainTimeout;
  private final Duration stopGrace;
  private final Duration idleCheckInterval;
  private final Backoff startBackoff;
  private final EngineListener listener;
  private final Scheduler scheduler;
  private final Executor loop;
  private final Executor settlementExecutor;
  private final List<AutoCloseable> owned;

  // Shared with the source's thread and the settlement executor.
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object flowLock = new Object();
  private boolean paused; // guarded by flowLock
  private volatile boolean stopRequested;
  private final CompletableFuture<Void> prewarmed = new CompletableFuture<>();
  private volatile DrainReport lastDrainReport;

  // Confined to the loop.
  private final Map<String, Active> active = new HashMap<>();
  private final Set<Work> outstanding = new LinkedHashSet<>();
  private long invocationSequence;
  private boolean stopping;
  private boolean drainFinished;
  private Instant drainStartedAt;
  private int settledDuringDrain;
  private int leftUnsettled;
  /** Runtime stops and kills not yet complete; a drain waits for them. */
  private final Set<CompletableFuture<Void>> stopsInProgress = new LinkedHashSet<>();
  /** Message id to how many times it was given back for a platform fault, not its own failure. */
  private final Map<String, Integer> platformFailures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > 10_000;
    }
  };
  private Scheduler.Cancellable drainTimer;
  private Scheduler.Cancellable idleTimer;

  private Dispatcher(Builder b) {
    this.daemonId = b.daemonId;
    this.source = requireNonNull(b.source, "source");
    this.publisher = requireNonNull(b.publisher, "publisher");
    this.runtime = requireNonNull(b.runtime, "runtime");
    this.transport = requireNonNull(b.transport, "transport");
    this.noRoutePolicy = b.noRoutePolicy;
    this.noRouteDeadLetter = b.noRouteDeadLetter;
    this.maxInFlight = b.maxInFlight;
    this.resumeAt = Math.max(0, b.maxInFlight - Math.max(1, b.maxInFlight / 4));
    this.drainTimeout = b.drainTimeout;
    this.stopGrace = b.stopGrace;
    this.idleCheckInterval = b.idleCheckInterval;
    this.startBackoff = b.startBackoff;
    this.listener = EngineListener.composite(b.listeners);
    this.owned = new ArrayList<>();
    if (b.scheduler == null) {
      SystemScheduler s = new SystemScheduler();
      owned.add(s);
      this.scheduler = s;
    } else {
      this.scheduler = b.scheduler;
    }
    Executor loopDelegate = b.eventLoop;
    if (loopDelegate == null) {
      ExecutorService e = Executors.newSingleThreadExecutor(named("ldd-dispatch"));
      owned.add(e::shutdown);
      loopDelegate = e;
    }
    this.loop = MoreExecutors.newSequentialExecutor(loopDelegate);
    Executor settle = b.settlementExecutor;
    if (settle == null) {
      ExecutorService e = Executors.newSingleThreadExecutor(named("ldd-settle"));
      owned.add(e::shutdown);
      settle = e;
    }
    this.settlementExecutor = settle;

    List<String> problems = new ArrayList<>();
    for (FunctionSpec f : b.functions) {
      if (pools.putIfAbsent(f.name(), new FunctionPool(f)) != null) {
        problems.add("function '" + f.name() + "' is defined twice");
      }
    }
    for (Route r : b.routes) {
      if (!pools.containsKey(r.function())) {
        problems.add("route '" + r.subscription() + "' on queue '" + r.queue() + "' names unknown function '"
            + r.function() + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    this.routing = RoutingTable.of(b.routes);
    for (String tie : routing.ties()) {
      log.warn("{}", tie);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Completes once every function has its {@code minInstances} ready for the first time. */
  public CompletableFuture<Void> prewarmed() {
    return prewarmed;
  }

  /** What the last graceful stop did, once it has finished. */
  public Optional<DrainReport> lastDrainReport() {
    return Optional.ofNullable(lastDrainReport);
  }

  /** Messages received and not yet settled. */
  public int inFlight() {
    return inFlight.get();
  }

  /** A snapshot of pools and instances, taken on the loop; waits up to two seconds for it. */
  public EngineStatus status() {
    CompletableFuture<EngineStatus> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(snapshot()));
    try {
      return f.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LddException("interrupted while taking the engine status", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new LddException("the engine did not answer a status request within 2 s", e);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  protected void doStart() {
    settlementExecutor.execute(() -> {
      try {
        reapOrphans();
        // The source first: if it cannot start, nothing has been started that would need stopping.
        source.start(handler);
      } catch (RuntimeException e) {
        log.error("the dispatcher could not start", e);
        closeOwned();
        notifyFailed(e);
        return;
      }
      loop.execute(() -> {
        for (FunctionPool p : pools.values()) {
          pump(p);
        }
        checkPrewarmed();
        scheduleIdleCheck();
      });
      notifyStarted();
    });
  }

  private void reapOrphans() {
    try {
      List<OwnedInstance> orphans = runtime.listOwned(daemonId).get(30, TimeUnit.SECONDS);
      List<CompletableFuture<Void>> kills = new ArrayList<>();
      for (OwnedInstance o : orphans) {
        log.info("removing instance {} ({}) left by an earlier run of daemon '{}'", o.instanceId(), o.nativeId(),
            daemonId);
        kills.add(runtime.kill(o.nativeId()));
      }
      CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not reap orphaned instances of daemon '{}': {}", daemonId, e.getMessage());
    }
  }

  @Override
  protected void doStop() {
    synchronized (flowLock) {
      stopRequested = true;
      paused = true;
    }
    try {
      source.pause();
    } catch (RuntimeException e) {
      log.warn("pausing the source for shutdown failed", e);
    }
    loop.execute(this::beginDrain);
  }

  private void beginDrain() {
    stopping = true;
    drainStartedAt = scheduler.now();
    if (idleTimer != null) {
      idleTimer.cancel();
    }
    for (FunctionPool p : pools.values()) {
      while (!p.pending.isEmpty()) {
        leaveUnsettled(p.pending.poll());
      }
      for (Instance i : List.copyOf(p.instances)) {
        if (i.state == InstanceState.STARTING) {
          retireNow(p, i, StopReason.SHUTDOWN, "daemon stopping");
        }
      }
    }
    drainTimer = scheduler.schedule(drainTimeout, () -> loop.execute(() -> finishDrain(true)));
    checkDrained();
  }

  private void checkDrained() {
    if (stopping && !drainFinished && outstanding.isEmpty()) {
      finishDrain(false);
    }
  }

  private void finishDrain(boolean timedOut) {
    if (drainFinished) {
      return;
    }
    drainFinished = true;
    if (drainTimer != null) {
      drainTimer.cancel();
    }
    for (Work w : List.copyOf(outstanding)) {
      leaveUnsettled(w);
    }
    outstanding.clear();
    int stopped = 0;
    for (FunctionPool p : pools.values()) {
      for (Instance i : List.copyOf(p.instances)) {
        retireNow(p, i, StopReason.SHUTDOWN, "daemon stopping");
        stopped++;
      }
    }
    DrainReport report = new DrainReport(settledDuringDrain, leftUnsettled, stopped,
        Duration.between(drainStartedAt, scheduler.now()), timedOut);
    CompletableFuture<Void> allStopped =
        CompletableFuture.allOf(stopsInProgress.toArray(CompletableFuture[]::new));
    CompletableFuture<Void> bounded = new CompletableFuture<>();
    allStopped.whenComplete((v, e) -> bounded.complete(null));
    scheduler.schedule(stopGrace.plusSeconds(5), () -> bounded.complete(null));
    settlementExecutor.execute(() -> {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("closing the source failed", e);
      }
    });
    bounded.whenComplete((v, e) -> settlementExecutor.execute(() -> terminate(report)));
  }

  private void terminate(DrainReport report) {
    lastDrainReport = report;
    listener.drained(report);
    closeOwned();
    notifyStopped();
  }

  private void closeOwned() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing {} failed", c, e);
      }
    }
  }

  /** Remembers a runtime stop or kill until it completes, so that a drain can wait for it. */
  private CompletableFuture<Void> track(FunctionPool p, CompletableFuture<Void> stop) {
    CompletableFuture<Void> quiet = stop.exceptionally(e -> {
      log.warn("function '{}': stopping an instance failed: {}", p.name(), unwrap(e).getMessage());
      return null;
    });
    stopsInProgress.add(quiet);
    p.stopping++;
    quiet.whenComplete((v, e) -> {
      try {
        loop.execute(() -> {
          stopsInProgress.remove(quiet);
          p.stopping--;
          pump(p);
        });
      } catch (java.util.concurrent.RejectedExecutionException terminated) {
        // The engine has terminated; nothing is left to count.
      }
    });
    return quiet;
  }

  // ---------------------------------------------------------------- intake and back-pressure

  private final DeliveryHandler handler = new DeliveryHandler() {
    @Override
    public void onDelivery(Delivery delivery) {
      acquire();
      listener.deliveryReceived(delivery.message());
      Work w = new Work(delivery);
      loop.execute(() -> accept(w));
    }

    @Override
    public void onFlowActive(String queue, boolean active) {
      log.info("queue '{}' flow is now {}", queue, active ? "active" : "inactive");
    }

    @Override
    public void onSourceEvent(String queue, String event, String detail) {
      log.info("source event on '{}': {} {}", queue, event, detail);
    }
  };

  private void acquire() {
    int n = inFlight.incrementAndGet();
    if (n >= maxInFlight) {
      synchronized (flowLock) {
        if (!paused && inFlight.get() >= maxInFlight) {
          paused = true;
          source.pause();
          listener.backpressure(true, n);
        }
      }
    }
  }

  private void release() {
    int n = inFlight.decrementAndGet();
    if (n <= resumeAt) {
      synchronized (flowLock) {
        if (paused && !stopRequested && inFlight.get() <= resumeAt) {
          paused = false;
          source.resume();
          listener.backpressure(false, n);
        }
      }
    }
  }

  private void accept(Work w) {
    if (stopping) {
      leaveUnsettled(w);
      return;
    }
    outstanding.add(w);
    InboundMessage m = w.message();
    Optional<Route> route = routing.route(m.queue(), m.topic());
    if (route.isEmpty()) {
      listener.noRoute(m);
      String reason = "no route for queue '" + m.queue() + "' topic '" + m.topic() + "'";
      if (noRoutePolicy == NoRoutePolicy.ACCEPT) {
        log.debug("{}: accepting it unprocessed (no-route policy accept)", reason);
        settle(w, Disposition.ACCEPTED_NO_ROUTE, reason);
      } else {
        deadLetter(w, noRouteDeadLetter, null, "NO_ROUTE", reason);
      }
      return;
    }
    listener.routeChosen(m, route.get());
    FunctionPool p = pools.get(route.get().function());
    w.function = p.name();
    p.pending.add(w);
    pump(p);
  }

  // ---------------------------------------------------------------- pools

  /** Hands held messages to instances with room, then starts what the pool needs. */
  private void pump(FunctionPool p) {
    if (stopping) {
      return;
    }
    while (!p.pending.isEmpty()) {
      Instance i = p.leastLoaded();
      if (i == null) {
        break;
      }
      invoke(p, i, p.pending.poll());
    }
    if (p.startRetry == null) {
      for (int n = p.instancesToStart(); n > 0; n--) {
        startInstance(p, p.pending.isEmpty());
      }
    }
  }

  private void startInstance(FunctionPool p, boolean prewarm) {
    FunctionSpec spec = p.spec;
    Instant t0 = scheduler.now();
    Instance inst = new Instance(p.nextInstanceId(), !prewarm, t0);
    p.instances.add(inst);
    listener.instanceStarting(p.name(), inst.id, prewarm);
    inst.startTimer = scheduler.schedule(spec.startTimeout(), () -> loop.execute(() -> startFailed(p, inst,
        new PlatformException("function '" + p.name() + "': instance " + inst.id + " did not become ready within "
            + spec.startTimeout()))));
    CompletableFuture<RuntimeInstance> started;
    try {
      started = runtime.start(new InstanceRequest(inst.id, daemonId, spec));
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    inst.started = started;
    started.whenComplete((ri, err) -> loop.execute(() -> {
      if (err != null) {
        startFailed(p, inst, unwrap(err));
        return;
      }
      if (inst.state == InstanceState.DEAD) {
        return; // retired while starting: retireNow kills what the start produced
      }
      inst.runtime = ri;
      ri.exit().whenComplete((exit, e) -> loop.execute(() ->
          lost(p, inst, exit == null ? "instance exited" : "instance exited (" + exit.reason() + ", code "
              + exit.exitCode() + ")")));
      Instant connecting = scheduler.now();
      Duration remaining = spec.startTimeout().minus(Duration.between(t0, connecting));
      if (remaining.compareTo(Duration.ofMillis(1)) < 0) {
        remaining = Duration.ofMillis(1);
      }
      CompletableFuture<FunctionConnection> connected;
      try {
        connected = transport.connect(inst.id, ri.endpoint(), remaining, sinkFor(inst));
      } catch (RuntimeException e) {
        connected = CompletableFuture.failedFuture(e);
      }
      connected.whenComplete((conn, e) -> loop.execute(() -> {
        if (e != null) {
          startFailed(p, inst, unwrap(e));
        } else if (inst.state == InstanceState.DEAD) {
          conn.close();
        } else {
          Map<String, Duration> phases = new LinkedHashMap<>(ri.startPhases());
          phases.put("ready", Duration.between(connecting, scheduler.now()));
          ready(p, inst, conn, phases);
        }
      }));
    }));
  }

  private void ready(FunctionPool p, Instance inst, FunctionConnection conn, Map<String, Duration> phases) {
    inst.startTimer.cancel();
    inst.connection = conn;
    inst.capacity = Math.min(p.spec.concurrency().perInstance(), conn.ready().maxConcurrency());
    inst.state = InstanceState.READY;
    inst.idleSince = scheduler.now();
    if (!conn.ready().function().equals(p.name())) {
      log.warn("function '{}': instance {} announced itself as function '{}'", p.name(), inst.id,
          conn.ready().function());
    }
    conn.closed().whenComplete((v, e) -> loop.execute(() -> lost(p, inst, "connection closed")));
    listener.instanceReady(p.name(), inst.id, phases);
    if (stopping) {
      retireNow(p, inst, StopReason.SHUTDOWN, "daemon stopping");
      return;
    }
    checkPrewarmed();
    pump(p);
  }

  private void startFailed(FunctionPool p, Instance inst, Throwable cause) {
    if (inst.state != InstanceState.STARTING) {
      return; // a start timer that lost the race against the handshake, or already retired
    }
    inst.state = InstanceState.DEAD;
    p.instances.remove(inst);
    inst.startTimer.cancel();
    if (inst.connection != null) {
      inst.connection.close();
    }
    track(p, killWhatStarted(inst));
    String error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    p.recordError("start of " + inst.id + " failed: " + error);
    // One line per notable event is the listeners' job (the launcher's LoggingListener); debug here.
    log.debug("function '{}': instance {} could not be started: {}", p.name(), inst.id, error);
    listener.instanceStartFailed(p.name(), inst.id, cause, p.consecutiveStartFailures + 1);
    listener.instanceStopped(p.name(), inst.id, StopReason.START_FAILED, error);
    if (!stopping) {
      startRound(p, error);
    }
  }

  /**
   * A round of starts failed (several instances starting at once fail together as one round): hold the
   * messages, and retry after a back-off; a held message that has waited through the bound of rounds
   * is given back to the bus with fail(), never dead-lettered for a platform fault.
   */
  private void startRound(FunctionPool p, String error) {
    if (p.startRetry != null) {
      return; // this round already counts, and its retry is scheduled
    }
    int rounds = ++p.consecutiveStartFailures;
    if (!p.hasServingInstance()) {
      int held = p.pending.size();
      for (int n = 0; n < held; n++) {
        Work w = p.pending.poll();
        if (++w.startFailuresSeen >= startBackoff.maxAttempts()) {
          if (w.message().messageId() != null) {
            platformFailures.merge(w.message().messageId(), 1, Integer::sum);
          }
          settle(w, Disposition.FAILED, "platform fault: function '" + p.name() + "' could not be started after "
              + w.startFailuresSeen + " attempts: " + error);
        } else {
          p.pending.add(w);
        }
      }
    }
    p.startRetry = scheduler.schedule(startBackoff.delay(rounds), () -> loop.execute(() -> {
      p.startRetry = null;
      pump(p);
    }));
  }

  /** An instance died or its connection closed: fail what was in flight on it and replace it. */
  private void lost(FunctionPool p, Instance inst, String detail) {
    if (inst.state == InstanceState.DEAD) {
      return;
    }
    if (inst.state == InstanceState.STARTING) {
      startFailed(p, inst, new PlatformException("function '" + p.name() + "': instance " + inst.id
          + " ended during start: " + detail));
      return;
    }
    boolean early = !inst.servedOne;
    if (early && !stopping) {
      // Lost before it finished a single invocation: a failed start in disguise (a function that dies right
      // after its handshake). Through the back-off, or a broken image would restart in a hot loop.
      startRound(p, "instance " + inst.id + " was lost before it served an invocation: " + detail);
    }
    kill(p, inst, StopReason.LOST, detail);
  }

  /** Kills an instance at once, failing exactly the invocations in flight on it. */
  private void kill(FunctionPool p, Instance inst, StopReason reason, String detail) {
    if (inst.state == InstanceState.DEAD) {
      return;
    }
    inst.state = InstanceState.DEAD;
    p.instances.remove(inst);
    if (inst.connection != null) {
      inst.connection.close();
    }
    if (inst.runtime != null) {
      track(p, runtime.kill(inst.runtime.nativeId()));
    }
    p.recordError(inst.id + " " + reason.name().toLowerCase() + ": " + detail);
    listener.instanceStopped(p.name(), inst.id, reason, detail);
    for (Active a : List.copyOf(inst.active)) {
      invocationDone(a, null, new InstanceLostException("function '" + p.name() + "': instance " + inst.id
          + " was lost mid-invocation: " + detail));
    }
    pump(p);
  }

  /** Stops an instance gracefully (close the connection, then stop it in the runtime). */
  private CompletableFuture<Void> retireNow(FunctionPool p, Instance inst, StopReason reason, String detail) {
    if (inst.state == InstanceState.DEAD) {
      return CompletableFuture.completedFuture(null);
    }
    boolean wasStarting = inst.state == InstanceState.STARTING;
    inst.state = InstanceState.DEAD;
    p.instances.remove(inst);
    if (inst.startTimer != null) {
      inst.startTimer.cancel();
    }
    if (inst.connection != null) {
      inst.connection.close();
    }
    listener.instanceStopped(p.name(), inst.id, reason, detail);
    for (Active a : List.copyOf(inst.active)) {
      invocationDone(a, null, new InstanceLostException("function '" + p.name() + "': instance " + inst.id
          + " stopped: " + detail));
    }
    CompletableFuture<Void> stopped;
    try {
      stopped = wasStarting ? killWhatStarted(inst) : runtime.stop(inst.runtime.nativeId(), stopGrace);
    } catch (RuntimeException e) {
      stopped = CompletableFuture.failedFuture(e);
    }
    return track(p, stopped);
  }

  /**
   * Kills an instance that is still starting: at once if the runtime has reported it, otherwise whatever
   * its start produces, without going through the loop (which may have terminated by then).
   */
  private CompletableFuture<Void> killWhatStarted(Instance inst) {
    if (inst.runtime != null) {
      return runtime.kill(inst.runtime.nativeId());
    }
    return inst.started.handle((ri, e) -> ri == null
            ? CompletableFuture.<Void>completedFuture(null) : runtime.kill(ri.nativeId()))
        .thenCompose(f -> f);
  }

  private void checkPrewarmed() {
    if (prewarmed.isDone()) {
      return;
    }
    for (FunctionPool p : pools.values()) {
      if (p.readyCount() < p.spec.concurrency().minInstances()) {
        return;
      }
    }
    prewarmed.complete(null);
  }

  private void scheduleIdleCheck() {
    idleTimer = scheduler.schedule(idleCheckInterval, () -> loop.execute(() -> {
      if (!stopping) {
        reapIdle();
        scheduleIdleCheck();
      }
    }));
  }

  /** Stops instances idle longer than their idle timeout, keeping minInstances. */
  private void reapIdle() {
    Instant now = scheduler.now();
    for (FunctionPool p : pools.values()) {
      int alive = p.instances.size();
      for (Instance i : List.copyOf(p.instances)) {
        if (alive <= p.spec.concurrency().minInstances()) {
          break;
        }
        if (i.state == InstanceState.READY && i.inFlight == 0
            && !now.isBefore(i.idleSince.plus(p.spec.idleTimeout()))) {
          retireNow(p, i, StopReason.IDLE, "idle for " + Duration.between(i.idleSince, now));
          alive--;
        }
      }
    }
  }

  // ---------------------------------------------------------------- invocations

  private void invoke(FunctionPool p, Instance inst, Work w) {
    FunctionSpec spec = p.spec;
    inst.inFlight++;
    inst.state = InstanceState.BUSY;
    Instant now = scheduler.now();
    Invocation inv = new Invocation(Long.toString(++invocationSequence), p.name(), w.message(),
        now.plus(spec.invocationTimeout()));
    boolean cold = inst.onDemand && !inst.usedOnce;
    inst.usedOnce = true;
    Active a = new Active(w, p, inst, inv, now);
    active.put(inv.id(), a);
    inst.active.add(a);
    listener.invocationStarted(p.name(), inst.id, inv.id(), cold);
    a.deadline = scheduler.schedule(spec.invocationTimeout(), () -> loop.execute(() ->
        invocationDone(a, null, new InvocationTimeoutException("function '" + p.name() + "': invocation " + inv.id()
            + " on " + inst.id + " passed its deadline of " + spec.invocationTimeout()))));
    CompletableFuture<InvocationResult> result;
    try {
      result = inst.connection.invoke(inv);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((r, e) -> loop.execute(() -> invocationDone(a, r, e)));
  }

  private void invocationDone(Active a, InvocationResult result, Throwable error) {
    if (a.done) {
      return;
    }
    a.done = true;
    a.deadline.cancel();
    active.remove(a.invocation.id());
    Instance inst = a.instance;
    FunctionPool p = a.pool;
    inst.active.remove(a);
    inst.inFlight--;
    if (inst.inFlight == 0) {
      inst.idleSince = scheduler.now();
      if (inst.state == InstanceState.BUSY) {
        inst.state = InstanceState.READY;
      }
    }
    InvocationOutcome outcome;
    String reason;
    if (!(unwrap(error) instanceof InstanceLostException)) {
      inst.servedOne = true;
      p.consecutiveStartFailures = 0;
    }
    if (error != null) {
      Throwable cause = unwrap(error);
      outcome = cause instanceof InvocationTimeoutException ? InvocationOutcome.TIMEOUT
          : cause instanceof InstanceLostException ? InvocationOutcome.LOST : InvocationOutcome.ERROR;
      reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    } else {
      outcome = switch (result.code()) {
        case OK -> InvocationOutcome.OK;
        case ERROR -> InvocationOutcome.ERROR;
        case REJECT -> InvocationOutcome.REJECT;
      };
      reason = result.error();
    }
    listener.invocationEnded(p.name(), inst.id, a.invocation.id(), outcome,
        Duration.between(a.startedAt, scheduler.now()), reason);
    if (outcome != InvocationOutcome.OK) {
      p.recordError(a.invocation.id() + " " + outcome + ": " + reason);
    }
    Work w = a.work;
    switch (outcome) {
      case OK -> completeOk(a);
      case ERROR -> {
        if (p.spec.killOnError()) {
          retire(p, inst, StopReason.ERROR_RESULT, "function returned ERROR: " + reason);
        }
        failOrDeadLetter(w, p, "ERROR", reason);
      }
      case REJECT -> deadLetter(w, p.spec.deadLetter(), p.name(), "REJECT", reason);
      case TIMEOUT -> {
        kill(p, inst, StopReason.DEADLINE, reason);
        failOrDeadLetter(w, p, "TIMEOUT", reason);
      }
      case LOST -> {
        // The connection is gone even if its closed() callback has not reached the loop yet.
        kill(p, inst, StopReason.LOST, reason);
        failOrDeadLetter(w, p, "LOST", reason);
      }
    }
    if (inst.state == InstanceState.DRAINING && inst.inFlight == 0) {
      kill(p, inst, inst.retireReason, "retired after its invocations finished");
    }
    pump(p);
  }

  /** Takes an instance out of service; killed once the invocations still in flight on it finish. */
  private void retire(FunctionPool p, Instance inst, StopReason reason, String detail) {
    if (!inst.alive()) {
      return;
    }
    if (inst.inFlight == 0) {
      kill(p, inst, reason, detail);
    } else {
      inst.state = InstanceState.DRAINING;
      inst.retireReason = reason;
    }
  }

  private PublicationSink sinkFor(Instance inst) {
    return (invocationId, publication) -> {
      CompletableFuture<Void> taken = new CompletableFuture<>();
      loop.execute(() -> takePublication(inst, invocationId, publication, taken));
      return taken;
    };
  }

  private void takePublication(Instance inst, String invocationId, Publication pub, CompletableFuture<Void> taken) {
    Active a = active.get(invocationId);
    if (a == null || a.done || a.instance != inst) {
      taken.completeExceptionally(new LddException("instance " + inst.id + " published for invocation "
          + invocationId + ", which is not in flight on it"));
      return;
    }
    if (a.pool.spec.publishMode() == PublishMode.BUFFERED) {
      a.buffered.add(pub);
      taken.complete(null);
    } else {
      CompletableFuture<Void> confirmed = send(pub);
      a.confirmations.add(confirmed);
      confirmed.whenComplete((v, e) -> {
        if (e == null) {
          taken.complete(null);
        } else {
          taken.completeExceptionally(unwrap(e));
        }
      });
    }
  }

  /** OK: send buffered publications (or await those sent at once), then accept once all are confirmed. */
  private void completeOk(Active a) {
    List<CompletableFuture<Void>> confirmations = new ArrayList<>(a.confirmations);
    for (Publication pub : a.buffered) {
      confirmations.add(send(pub));
    }
    Work w = a.work;
    if (confirmations.isEmpty()) {
      settle(w, Disposition.ACCEPTED, "");
      return;
    }
    CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
        loop.execute(() -> {
          if (e == null) {
            settle(w, Disposition.ACCEPTED, "");
          } else {
            settle(w, Disposition.FAILED, "function '" + a.pool.name() + "' returned OK but a publication failed: "
                + unwrap(e).getMessage());
          }
        }));
  }

  private CompletableFuture<Void> send(Publication pub) {
    try {
      return publisher.publish(pub);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---------------------------------------------------------------- settlement

  private void failOrDeadLetter(Work w, FunctionPool p, String code, String reason) {
    // Deliveries the engine gave back for platform faults (a function that could not start) do not count.
    String id = w.message().messageId();
    int platform = id == null ? 0 : platformFailures.getOrDefault(id, 0);
    int count = Math.max(1, w.message().effectiveDeliveryCount() - platform);
    int max = p.spec.maxDeliveries();
    if (count >= max) {
      deadLetter(w, p.spec.deadLetter(), p.name(), code,
          reason + " (delivery " + count + " of at most " + max + ")");
    } else {
      settle(w, Disposition.FAILED, reason);
    }
  }

  private void deadLetter(Work w, DeadLetterPolicy policy, String function, String code, String reason) {
    if (w.done) {
      return;
    }
    if (policy instanceof DeadLetterPolicy.ToTopic t) {
      Publication copy = DeadLetters.toTopic(t.topic(), w.message(), function, code, reason);
      send(copy).whenComplete((v, e) -> loop.execute(() -> {
        if (e == null) {
          settle(w, Disposition.DEAD_LETTERED_TOPIC, code + ": " + reason);
        } else {
          settle(w, Disposition.FAILED, "dead-lettering to '" + t.topic() + "' failed (" + unwrap(e).getMessage()
              + "); was: " + code + ": " + reason);
        }
      }));
    } else {
      settle(w, Disposition.DEAD_LETTERED_REJECT, code + ": " + reason);
    }
  }

  private void settle(Work w, Disposition d, String reason) {
    if (w.done) {
      return;
    }
    w.done = true;
    if (d == Disposition.DEAD_LETTERED_REJECT || d == Disposition.DEAD_LETTERED_TOPIC) {
      log.debug("dead-lettered message {} from queue '{}' topic '{}' ({}): {}", w.message().messageId(),
          w.message().queue(), w.message().topic(), w.function == null ? "no function" : "function '" + w.function + "'",
          reason);
    }
    if (stopping) {
      settledDuringDrain++;
    }
    settlementExecutor.execute(() -> {
      try {
        switch (d) {
          case ACCEPTED, ACCEPTED_NO_ROUTE, DEAD_LETTERED_TOPIC -> w.delivery.settlement().accept();
          case FAILED -> w.delivery.settlement().fail();
          case DEAD_LETTERED_REJECT -> w.delivery.settlement().reject();
          case LEFT_UNSETTLED -> { }
        }
      } catch (RuntimeException e) {
        log.warn("settling message {} as {} failed; the bus redelivers it: {}", w.message().messageId(), d,
            e.getMessage());
      }
      listener.settled(w.message(), w.function, d, reason);
      release();
      loop.execute(() -> {
        outstanding.remove(w);
        checkDrained();
      });
    });
  }

  private void leaveUnsettled(Work w) {
    if (w.done) {
      return;
    }
    w.done = true;
    outstanding.remove(w);
    leftUnsettled++;
    listener.settled(w.message(), w.function, Disposition.LEFT_UNSETTLED, "daemon stopping");
    release();
  }

  // ---------------------------------------------------------------- helpers

  private EngineStatus snapshot() {
    List<EngineStatus.FunctionStatus> functions = new ArrayList<>();
    for (FunctionPool p : pools.values()) {
      List<EngineStatus.InstanceStatus> instances = new ArrayList<>();
      for (Instance i : p.instances) {
        instances.add(new EngineStatus.InstanceStatus(i.id, i.state, i.inFlight, i.capacity));
      }
      functions.add(new EngineStatus.FunctionStatus(p.name(), p.pending.size(), List.copyOf(instances),
          List.copyOf(p.lastErrors)));
    }
    boolean isPaused;
    synchronized (flowLock) {
      isPaused = paused;
    }
    return new EngineStatus(inFlight.get(), maxInFlight, isPaused, List.copyOf(functions));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link Dispatcher}. Source, publisher, runtime and transport are required. */
  public static final class Builder {
    private String daemonId = "ldd";
    private MessageSource source;
    private MessagePublisher publisher;
    private ContainerRuntime runtime;
    private FunctionTransport transport;
    private final List<FunctionSpec> functions = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private NoRoutePolicy noRoutePolicy = NoRoutePolicy.DEAD_LETTER;
    private DeadLetterPolicy noRouteDeadLetter = DeadLetterPolicy.BUS;
    private int maxInFlight = 1024;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration stopGrace = Duration.ofSeconds(5);
    private Duration idleCheckInterval = Duration.ofSeconds(1);
    private Backoff startBackoff = Backoff.DEFAULT;
    private final List<EngineListener> listeners = new ArrayList<>();
    private Scheduler scheduler;
    private Executor eventLoop;
    private Executor settlementExecutor;

    private Builder() {}

    /** Labels what the runtime starts, so the next start of the same daemon can reap orphans. */
    public Builder daemonId(String daemonId) {
      this.daemonId = requireNonNull(daemonId, "daemonId");
      return this;
    }

    public Builder source(MessageSource source) {
      this.source = source;
      return this;
    }

    public Builder publisher(MessagePublisher publisher) {
      this.publisher = publisher;
      return this;
    }

    public Builder runtime(ContainerRuntime runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder transport(FunctionTransport transport) {
      this.transport = transport;
      return this;
    }

    public Builder function(FunctionSpec function) {
      this.functions.add(requireNonNull(function, "function"));
      return this;
    }

    public Builder functions(List<FunctionSpec> functions) {
      functions.forEach(this::function);
      return this;
    }

    public Builder route(Route route) {
      this.routes.add(requireNonNull(route, "route"));
      return this;
    }

    public Builder routes(List<Route> routes) {
      routes.forEach(this::route);
      return this;
    }

    public Builder noRoutePolicy(NoRoutePolicy policy) {
      this.noRoutePolicy = requireNonNull(policy, "policy");
      return this;
    }

    /** How a message without a route is dead-lettered (the bus's reject by default). */
    public Builder noRouteDeadLetter(DeadLetterPolicy policy) {
      this.noRouteDeadLetter = requireNonNull(policy, "policy");
      return this;
    }

    /** Messages between delivery and settlement at most; the source is paused at the bound. */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /** How long a stopped instance gets to exit before it is killed. */
    public Builder stopGrace(Duration stopGrace) {
      this.stopGrace = requireNonNull(stopGrace, "stopGrace");
      return this;
    }

    public Builder idleCheckInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("idleCheckInterval must be positive, was " + interval);
      }
      this.idleCheckInterval = interval;
      return this;
    }

    /** Back-off between failed instance starts, and how many a held message waits through. */
    public Builder startBackoff(Backoff backoff) {
      this.startBackoff = requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder listener(EngineListener listener) {
      this.listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock and timer; defaults to the system clock and one timer thread. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * What runs the event loop's tasks (they run one at a time, in order, whatever this is); defaults to
     * one thread. Tests pass a direct executor to run everything on the calling thread.
     */
    public Builder eventLoop(Executor executor) {
      this.eventLoop = requireNonNull(executor, "executor");
      return this;
    }

    /** Where settlement calls and the source's start and close run; defaults to one thread. */
    public Builder settlementExecutor(Executor executor) {
      this.settlementExecutor = requireNonNull(executor, "executor");
      return this;
    }

    public Dispatcher build() {
      return new Dispatcher(this);
    }
  }
}
