package dev.ldd.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ldd.core.embedded.InMemoryBroker.QueueStats;
import dev.ldd.examples.testing.ExampleDaemon;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** examples/ldd-process.yaml through the launcher's daemon: the functions as local processes, no Docker. */
class ExamplesOnProcessRuntimeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private ExampleDaemon daemon;

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
    daemon = ExampleDaemon.start("ldd-process.yaml", Map.of());

    daemon.publishEchoes(1000, 5);

    await().atMost(PATIENCE).until(() -> stats("echo").accepted() == 1000);
    assertThat(stats("echo").failed()).isZero();
    assertThat(stats("echo").depth() + stats("echo").unsettled()).isZero();
    assertThat(daemon.metric("ldd_invocations_total", "function", "echo", "outcome", "ok")).isEqualTo(1000);
    assertThat(daemon.broker().deadMessages()).isEmpty();
  }

  @Test
  void theChainAndTheFlakyFunctionBehaveAsOnDocker() throws Exception {
    daemon = ExampleDaemon.start("ldd-process.yaml", Map.of());

    daemon.publish("orders/eu/created", "{\"id\":1}", Map.of("echo.to", "out/orders")).join();
    daemon.publish("flaky/twice", "b", Map.of("flaky.failDeliveries", "2")).join();
    daemon.publish("flaky/always", "c", Map.of("flaky.failDeliveries", "99")).join();

    await().atMost(PATIENCE).until(() -> stats(ExampleDaemon.OUTPUTS).depth() == 1 && stats("flaky").accepted() == 2);
    assertThat(stats("flaky").failed()).isEqualTo(2 + 2);
    assertThat(daemon.deadLetters()).singleElement()
        .satisfies(d -> assertThat(d.properties()).containsEntry("ldd.dl.topic", "flaky/always"));
  }
}
