package dev.ldd.launcher.metrics;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.Disposition;
import dev.ldd.core.EngineListener;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.StopReason;
import dev.ldd.core.spi.InboundMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns engine events into Micrometer meters (names as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code ldd_deliveries_received_total{queue}}, {@code ldd_redeliveries_total{queue}} (deliveries the
 *       bus flagged as redelivered), {@code ldd_messages_in_flight} (received, not yet settled);
 *   <li>{@code ldd_invocations_total{function,outcome}}, {@code ldd_invocation_duration_seconds{function}}
 *       (with a percentile histogram), {@code ldd_invocations_in_flight};
 *   <li>{@code ldd_cold_starts_total{function}}, {@code ldd_cold_start_seconds{function}} and
 *       {@code ldd_cold_start_phase_seconds{function,phase}} (the runtime's phases, then {@code ready});
 *   <li>{@code ldd_instances{function,state}} with states {@code starting}, {@code idle}, {@code busy};
 *       {@code ldd_instance_start_failures_total{function}}, {@code ldd_instances_stopped_total{function,reason}};
 *   <li>{@code ldd_settlements_total{disposition}}, {@code ldd_dead_letters_total{function,kind,target}};
 *   <li>{@code ldd_backpressure_pauses_total}, {@code ldd_source_paused}.
 * </ul>
 *
 * Thread-safe and non-blocking, as {@link EngineListener} requires.
 */
public final class MetricsListener implements EngineListener {
  private enum State {
    STARTING,
    IDLE,
    BUSY
  }

  private static final class Instance {
    final String function;
    State state = State.STARTING;
    int inFlight;

    Instance(String function) {
      this.function = function;
    }
  }

  private final MeterRegistry registry;
  private final AtomicInteger invocationsInFlight = new AtomicInteger();
  private final AtomicInteger messagesInFlight = new AtomicInteger();
  private final AtomicInteger paused = new AtomicInteger();
  private final Map<String, Instance> instances = new HashMap<>(); // guarded by itself
  private final Map<List<String>, AtomicInteger> instanceGauges = new ConcurrentHashMap<>();

  public MetricsListener(MeterRegistry registry) {
    this(registry, List.of());
  }

  /** With {@code ldd_instances} at 0 for each of {@code functions} from the start, so dashboards see them. */
  public MetricsListener(MeterRegistry registry, java.util.Collection<String> functions) {
    this.registry = requireNonNull(registry, "registry");
    for (String function : functions) {
      for (State state : State.values()) {
        gauge(function, state);
      }
    }
    Gauge.builder("ldd.invocations.in.flight", invocationsInFlight, AtomicInteger::get)
        .description("Invocations sent and not yet ended").register(registry);
    Gauge.builder("ldd.messages.in.flight", messagesInFlight, AtomicInteger::get)
        .description("Messages received and not yet settled").register(registry);
    Gauge.builder("ldd.source.paused", paused, AtomicInteger::get)
        .description("1 while the engine holds the source paused for backpressure").register(registry);
  }

  /** A Prometheus registry with the defaults: what the admin endpoint's {@code /metrics} scrapes. */
  public static PrometheusMeterRegistry newPrometheusRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void deliveryReceived(InboundMessage message) {
    messagesInFlight.incrementAndGet();
    registry.counter("ldd.deliveries.received", "queue", message.queue()).increment();
    if (message.redelivered()) {
      registry.counter("ldd.redeliveries", "queue", message.queue()).increment();
    }
  }

  @Override
  public void instanceStarting(String function, String instanceId, boolean prewarm) {
    registry.counter("ldd.instance.starts", "function", function, "prewarm", Boolean.toString(prewarm)).increment();
    synchronized (instances) {
      Instance previous = instances.put(instanceId, new Instance(function));
      if (previous != null) {
        move(previous, previous.state, null);
      }
      move(instances.get(instanceId), null, State.STARTING);
    }
  }

  @Override
  public void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {
    Duration total = Duration.ZERO;
    for (Map.Entry<String, Duration> phase : coldStart.entrySet()) {
      Timer.builder("ldd.cold.start.phase").description("Duration of one phase of starting an instance")
          .tags("function", function, "phase", phase.getKey()).register(registry).record(phase.getValue());
      total = total.plus(phase.getValue());
    }
    Timer.builder("ldd.cold.start").description("Time from asking for an instance to its ready handshake")
        .tags("function", function).publishPercentileHistogram().register(registry).record(total);
    registry.counter("ldd.cold.starts", "function", function).increment();
    synchronized (instances) {
      Instance i = instances.get(instanceId);
      if (i != null && i.state == State.STARTING) {
        move(i, State.STARTING, i.inFlight > 0 ? State.BUSY : State.IDLE);
      }
    }
  }

  @Override
  public void instanceStartFailed(String function, String instanceId, Throwable cause, int consecutiveFailures) {
    registry.counter("ldd.instance.start.failures", "function", function).increment();
    forget(instanceId);
  }

  @Override
  public void instanceStopped(String function, String instanceId, StopReason reason, String detail) {
    registry.counter("ldd.instances.stopped", "function", function, "reason", tag(reason)).increment();
    forget(instanceId);
  }

  @Override
  public void invocationStarted(String function, String instanceId, String invocationId, boolean cold) {
    invocationsInFlight.incrementAndGet();
    synchronized (instances) {
      Instance i = instances.get(instanceId);
      if (i != null && i.inFlight++ == 0 && i.state == State.IDLE) {
        move(i, State.IDLE, State.BUSY);
      }
    }
  }

  @Override
  public void invocationEnded(String function, String instanceId, String invocationId, InvocationOutcome outcome,
      Duration duration, String error) {
    invocationsInFlight.decrementAndGet();
    registry.counter("ldd.invocations", "function", function, "outcome", tag(outcome)).increment();
    Timer.builder("ldd.invocation.duration").description("Time from sending an invocation to its end")
        .tags("function", function).publishPercentileHistogram().register(registry).record(duration);
    synchronized (instances) {
      Instance i = instances.get(instanceId);
      if (i != null && i.inFlight > 0 && --i.inFlight == 0 && i.state == State.BUSY) {
        move(i, State.BUSY, State.IDLE);
      }
    }
  }

  @Override
  public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
    messagesInFlight.decrementAndGet();
    registry.counter("ldd.settlements", "disposition", tag(disposition)).increment();
    if (disposition == Disposition.DEAD_LETTERED_REJECT || disposition == Disposition.DEAD_LETTERED_TOPIC) {
      registry.counter("ldd.dead.letters", Tags.of("function", function == null ? "none" : function,
          "kind", deadLetterKind(function, reason),
          "target", disposition == Disposition.DEAD_LETTERED_TOPIC ? "topic" : "bus")).increment();
    }
  }

  @Override
  public void backpressure(boolean pausedNow, int inFlight) {
    paused.set(pausedNow ? 1 : 0);
    if (pausedNow) {
      registry.counter("ldd.backpressure.pauses").increment();
    }
  }

  /**
   * A bounded classification of a dead-letter reason for a tag: {@code no-route}, {@code rejected} (the
   * function said poison), {@code max-deliveries} (failed too often), or {@code other}. The engine gives
   * the reason as text, {@code CODE: detail}, with {@code (delivery N of at most M)} when the delivery
   * budget ran out; this reads that.
   */
  static String deadLetterKind(String function, String reason) {
    String r = reason == null ? "" : reason;
    if (function == null || r.startsWith("NO_ROUTE")) {
      return "no-route";
    }
    if (r.startsWith("REJECT")) {
      return "rejected";
    }
    if (r.contains(" of at most ")) {
      return "max-deliveries";
    }
    return "other";
  }

  private void forget(String instanceId) {
    synchronized (instances) {
      Instance i = instances.remove(instanceId);
      if (i != null) {
        move(i, i.state, null);
      }
    }
  }

  /** Moves one instance between states in the gauges; the caller holds the instances lock. */
  private void move(Instance i, State from, State to) {
    if (from != null) {
      gauge(i.function, from).decrementAndGet();
    }
    if (to != null) {
      gauge(i.function, to).incrementAndGet();
      i.state = to;
    }
  }

  private AtomicInteger gauge(String function, State state) {
    return instanceGauges.computeIfAbsent(List.of(function, tag(state)), key -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("ldd.instances", value, AtomicInteger::get).description("Instances by state")
          .tags("function", key.get(0), "state", key.get(1)).register(registry);
      return value;
    });
  }

  private static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
