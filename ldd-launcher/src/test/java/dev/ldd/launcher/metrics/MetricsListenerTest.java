package dev.ldd.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.Disposition;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.StopReason;
import dev.ldd.core.spi.InboundMessage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetricsListenerTest {
  private final PrometheusMeterRegistry registry = MetricsListener.newPrometheusRegistry();
  private final MetricsListener metrics = new MetricsListener(registry);

  private static InboundMessage message(boolean redelivered) {
    return new InboundMessage("orders", "orders/eu/created", new byte[0], Map.of(), null, null, null, redelivered,
        OptionalInt.empty());
  }

  private double value(String name, String... tags) {
    var search = registry.find(name).tags(tags);
    if (search.counter() != null) {
      return search.counter().count();
    }
    return search.gauge() == null ? Double.NaN : search.gauge().value();
  }

  @Test
  void deliveriesRedeliveriesAndSettlementsAreCounted() {
    metrics.deliveryReceived(message(false));
    metrics.deliveryReceived(message(true));
    assertThat(value("ldd.messages.in.flight")).isEqualTo(2);

    metrics.settled(message(false), "enrich", Disposition.ACCEPTED, "");
    metrics.settled(message(true), "enrich", Disposition.DEAD_LETTERED_REJECT, "REJECT: poison");

    assertThat(value("ldd.deliveries.received", "queue", "orders")).isEqualTo(2);
    assertThat(value("ldd.redeliveries", "queue", "orders")).isEqualTo(1);
    assertThat(value("ldd.settlements", "disposition", "accepted")).isEqualTo(1);
    assertThat(value("ldd.dead.letters", "function", "enrich", "kind", "rejected", "target", "bus")).isEqualTo(1);
    assertThat(value("ldd.messages.in.flight")).isZero();
  }

  @Test
  void instancesMoveBetweenStatesAndColdStartsAreBrokenDownByPhase() {
    Map<String, Duration> phases = new LinkedHashMap<>();
    phases.put("create", Duration.ofMillis(100));
    phases.put("start", Duration.ofMillis(200));
    phases.put("ready", Duration.ofMillis(300));

    metrics.instanceStarting("enrich", "enrich-1", false);
    assertThat(value("ldd.instances", "function", "enrich", "state", "starting")).isEqualTo(1);
    metrics.instanceReady("enrich", "enrich-1", phases);
    assertThat(value("ldd.instances", "function", "enrich", "state", "starting")).isZero();
    assertThat(value("ldd.instances", "function", "enrich", "state", "idle")).isEqualTo(1);
    metrics.invocationStarted("enrich", "enrich-1", "i-1", true);
    assertThat(value("ldd.instances", "function", "enrich", "state", "busy")).isEqualTo(1);
    assertThat(value("ldd.invocations.in.flight")).isEqualTo(1);
    metrics.invocationEnded("enrich", "enrich-1", "i-1", InvocationOutcome.ERROR, Duration.ofMillis(40), "boom");
    assertThat(value("ldd.instances", "function", "enrich", "state", "idle")).isEqualTo(1);
    metrics.instanceStopped("enrich", "enrich-1", StopReason.ERROR_RESULT, "killed after ERROR");

    assertThat(value("ldd.instances", "function", "enrich", "state", "idle")).isZero();
    assertThat(value("ldd.invocations", "function", "enrich", "outcome", "error")).isEqualTo(1);
    assertThat(value("ldd.instances.stopped", "function", "enrich", "reason", "error-result")).isEqualTo(1);
    assertThat(registry.get("ldd.cold.start.phase").tags("function", "enrich", "phase", "start").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(200);
    assertThat(registry.get("ldd.cold.start").tags("function", "enrich").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(600);
    assertThat(registry.get("ldd.invocation.duration").timer().count()).isEqualTo(1);
  }

  @Test
  void knownFunctionsShowZeroInstancesBeforeAnyEvent() {
    MetricsListener withFunctions = new MetricsListener(MetricsListener.newPrometheusRegistry(), java.util.List.of("enrich"));

    assertThat(withFunctions.registry().find("ldd.instances").tags("function", "enrich").gauges()).hasSize(3)
        .allSatisfy(g -> assertThat(g.value()).isZero());
  }

  @Test
  void backpressurePausesAreCountedAndShown() {
    metrics.backpressure(true, 256);
    assertThat(value("ldd.source.paused")).isEqualTo(1);
    metrics.backpressure(false, 100);
    assertThat(value("ldd.source.paused")).isZero();
    assertThat(value("ldd.backpressure.pauses")).isEqualTo(1);
  }

  @Test
  void thePrometheusScrapeHasTheLatencyHistogram() {
    metrics.invocationEnded("enrich", "enrich-1", "i-1", InvocationOutcome.OK, Duration.ofMillis(5), "");

    assertThat(registry.scrape())
        .contains("ldd_invocations_total{function=\"enrich\",outcome=\"ok\"} 1.0")
        .contains("ldd_invocation_duration_seconds_bucket{function=\"enrich\"");
  }

  @Test
  void deadLetterReasonsAreClassifiedIntoFewKinds() {
    assertThat(MetricsListener.deadLetterKind(null, "NO_ROUTE: no route for queue 'q'")).isEqualTo("no-route");
    assertThat(MetricsListener.deadLetterKind("f", "ERROR: boom (delivery 5 of at most 5)"))
        .isEqualTo("max-deliveries");
    assertThat(MetricsListener.deadLetterKind("f", "REJECT: poison")).isEqualTo("rejected");
    assertThat(MetricsListener.deadLetterKind("f", "ERROR: could not reject")).isEqualTo("other");
  }
}
