package dev.ldd.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ldd.core.embedded.InMemoryBroker.QueueStats;
import dev.ldd.core.policy.DeadLetters;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.examples.testing.ExampleDaemon;
import dev.ldd.examples.testing.ExampleFunctions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/ldd.yaml through the launcher's daemon: the embedded source, the Docker runtime, the example
 * images built from the functions' jar, the TCP transport.
 */
@RequiresDocker
class ExamplesOnDockerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private ExampleDaemon daemon;

  @BeforeAll
  static void buildTheImages() {
    ExampleFunctions.buildImages();
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private QueueStats stats(String queue) {
    return daemon.broker().stats(queue);
  }

  @Test
  void aThousandMessagesToEchoAreAllAccepted() throws Exception {
    daemon = ExampleDaemon.start("ldd.yaml", Map.of());

    daemon.publishEchoes(1000, 5);

    await().atMost(PATIENCE).until(() -> stats("echo").accepted() == 1000);
    assertThat(stats("echo")).satisfies(s -> {
      assertThat(s.failed()).isZero();
      assertThat(s.deadLettered()).isZero();
      assertThat(s.depth() + s.unsettled()).isZero();
    });
    assertThat(daemon.metric("ldd_invocations_total", "function", "echo", "outcome", "ok")).isEqualTo(1000);
    assertThat(daemon.broker().deadMessages()).isEmpty();
  }

  @Test
  void theEnrichChainDeliversItsDerivedMessagesToEcho() throws Exception {
    daemon = ExampleDaemon.start("ldd.yaml", Map.of());

    // enrich keeps the order's properties on what it derives, so echo forwards each to out/orders.
    for (int i = 0; i < 10; i++) {
      daemon.publish("orders/eu/created", "{\"id\":" + i + "}", Map.of("echo.to", "out/orders")).join();
    }
    daemon.publish("orders/eu/created", "", Map.of()).join(); // poison: enrich rejects it

    await().atMost(PATIENCE).until(() -> daemon.broker().stats(ExampleDaemon.OUTPUTS).depth() == 10
        && stats("orders").accepted() == 11);
    List<InboundMessage> outputs = daemon.broker().browse(ExampleDaemon.OUTPUTS);
    assertThat(outputs).allSatisfy(m -> {
      assertThat(new String(m.payload(), UTF_8)).contains("\"source\":\"orders/eu/created\"", "\"enrichedBy\":\"enrich\"");
      assertThat(m.properties()).containsEntry("echo.of", "enriched/orders/eu/created");
    });
    assertThat(outputs).extracting(m -> new String(m.payload(), UTF_8))
        .anySatisfy(p -> assertThat(p).contains("{\\\"id\\\":0}"))
        .anySatisfy(p -> assertThat(p).contains("{\\\"id\\\":9}"));
    assertThat(stats("enriched").accepted()).isEqualTo(10);
    assertThat(daemon.deadLetters()).singleElement().satisfies(d -> {
      assertThat(d.topic()).isEqualTo("dlq/enrich");
      assertThat(d.properties()).containsEntry(DeadLetters.FUNCTION, "enrich")
          .containsEntry(DeadLetters.CODE, "REJECT")
          .containsEntry(DeadLetters.TOPIC, "orders/eu/created");
      assertThat(d.properties().get(DeadLetters.ERROR)).contains("empty order event");
    });
  }

  @Test
  void flakyMessagesAreRedeliveredThenAcceptedOrDeadLetteredWithTheReason() throws Exception {
    daemon = ExampleDaemon.start("ldd.yaml", Map.of());

    daemon.publish("flaky/once", "a", Map.of("flaky.failDeliveries", "1")).join();
    daemon.publish("flaky/twice", "b", Map.of("flaky.failDeliveries", "2")).join();
    daemon.publish("flaky/always", "c", Map.of("flaky.failDeliveries", "99")).join();
    daemon.publish("flaky/never", "d", Map.of()).join();

    // The dead-lettered one is accepted too, once its copy is on the dead-letter topic.
    await().atMost(PATIENCE).until(() -> stats("flaky").accepted() == 4);
    assertThat(stats("flaky").failed()).as("redeliveries: 1 + 2 + 2").isEqualTo(5);
    assertThat(stats("flaky").delivered()).isEqualTo(1 + 2 + 3 + 3);
    assertThat(daemon.broker().deadMessages()).as("nothing on the bus's own dead-message queue").isEmpty();
    assertThat(daemon.deadLetters()).singleElement().satisfies(d -> {
      assertThat(d.topic()).isEqualTo("dlq/flaky");
      assertThat(new String(d.payload(), UTF_8)).isEqualTo("c");
      assertThat(d.properties()).containsEntry(DeadLetters.FUNCTION, "flaky")
          .containsEntry(DeadLetters.CODE, "ERROR")
          .containsEntry(DeadLetters.DELIVERY_COUNT, "3")
          .containsEntry(DeadLetters.TOPIC, "flaky/always")
          .containsEntry("flaky.failDeliveries", "99");
      assertThat(d.properties().get(DeadLetters.ERROR))
          .contains("flaky: failing delivery 3 of the first 99", "(delivery 3 of at most 3)");
    });
  }

  @Test
  void metricsAndFunctionStatusReflectWhatHappened() throws Exception {
    daemon = ExampleDaemon.start("ldd.yaml", Map.of());

    for (int i = 0; i < 20; i++) {
      daemon.publish("echo/m/" + i, "m" + i, Map.of()).join();
    }
    daemon.publish("orders/us/created", "{\"id\":1}", Map.of()).join();
    daemon.publish("orders/us/created", "{\"id\":2}", Map.of()).join();
    daemon.publish("orders/us/created", "", Map.of()).join();
    daemon.publish("flaky/once", "x", Map.of("flaky.failDeliveries", "1")).join();
    daemon.publish("flaky/always", "y", Map.of("flaky.failDeliveries", "99")).join();

    // Settled, and no instance starting or busy (a burst on a cold pool may start echo's second one late).
    await().atMost(PATIENCE).until(() -> stats("echo").accepted() == 20 && stats("enriched").accepted() == 2
        && stats("orders").accepted() == 3 && stats("flaky").accepted() == 2
        && !daemon.functions().toString().matches(".*\"(STARTING|BUSY)\".*"));

    String scrape = daemon.get("/metrics");
    assertThat(ExampleDaemon.sample(scrape, "ldd_invocations_total", "function", "echo", "outcome", "ok")).isEqualTo(22);
    assertThat(ExampleDaemon.sample(scrape, "ldd_invocations_total", "function", "enrich", "outcome", "ok")).isEqualTo(2);
    assertThat(ExampleDaemon.sample(scrape, "ldd_invocations_total", "function", "enrich", "outcome", "reject")).isEqualTo(1);
    assertThat(ExampleDaemon.sample(scrape, "ldd_invocations_total", "function", "flaky", "outcome", "ok")).isEqualTo(1);
    assertThat(ExampleDaemon.sample(scrape, "ldd_invocations_total", "function", "flaky", "outcome", "error")).isEqualTo(1 + 3);
    assertThat(ExampleDaemon.sample(scrape, "ldd_dead_letters_total", "function", "flaky", "kind", "max-deliveries",
        "target", "topic")).isEqualTo(1);
    assertThat(ExampleDaemon.sample(scrape, "ldd_dead_letters_total", "function", "enrich", "kind", "rejected")).isEqualTo(1);
    assertThat(ExampleDaemon.sample(scrape, "ldd_dead_letters_total")).isEqualTo(2);
    assertThat(ExampleDaemon.sample(scrape, "ldd_redeliveries_total", "queue", "flaky")).isEqualTo(1 + 2);
    assertThat(ExampleDaemon.sample(scrape, "ldd_cold_starts_total", "function", "flaky")).isEqualTo(1);
    for (String f : List.of("echo", "enrich", "flaky")) {
      assertThat(ExampleDaemon.sample(scrape, "ldd_instances", "function", f, "state", "idle")).as(f).isBetween(1.0, 2.0);
    }
    assertThat(ExampleDaemon.sample(scrape, "ldd_messages_in_flight")).isZero();

    JsonNode status = daemon.functions();
    assertThat(status.get("inFlight").asInt()).isZero();
    for (String f : List.of("echo", "enrich", "flaky")) {
      JsonNode fn = daemon.function(f);
      assertThat(fn.get("instances").size()).as(f).isBetween(1, 2);
      assertThat(fn.get("instances")).allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("READY"));
    }
    assertThat(daemon.function("flaky").get("instances").get(0).get("capacity").asInt()).isEqualTo(4);
    assertThat(daemon.function("flaky").get("lastErrors").toString()).contains("failing delivery 3 of the first 99");
    assertThat(daemon.function("echo").get("lastErrors")).isEmpty();
  }
}
