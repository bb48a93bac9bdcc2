package dev.ldd.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.DrainReport;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.testing.FakeContainerRuntime;
import dev.ldd.core.testing.FakeFunctionTransport;
import dev.ldd.core.time.SystemScheduler;
import dev.ldd.launcher.config.LddConfig;
import dev.ldd.launcher.config.SourceConfig;
import dev.ldd.launcher.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DaemonTest {
  private static final String CONFIG = """
      daemon: { id: daemon-test, admin: { port: 0 }, drainTimeout: 5s }
      source: { type: embedded, queues: [ { name: orders, subscriptions: [ "orders/>" ] } ] }
      runtime: { type: process }
      functions:
        - { name: enrich, command: [ unused ], routes: [ { queue: orders, topics: [ "orders/*/created" ] } ],
            concurrency: { minInstances: 1, maxInstances: 2 } }
      """;

  private final HttpClient http = HttpClient.newHttpClient();
  private final SystemScheduler scheduler = new SystemScheduler();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime();
  private final FakeFunctionTransport transport = new FakeFunctionTransport(runtime, scheduler);
  private InMemoryBroker broker;

  /** The built-in embedded bus, kept for assertions; the fakes stand in for the runtime and transport. */
  private DaemonComponents components() {
    return DaemonComponents.builtIn()
        .withSources((config, id) -> {
          DaemonComponents.Bus bus = DaemonComponents.embedded((SourceConfig.Embedded) config);
          broker = (InMemoryBroker) bus.publisher();
          return bus;
        })
        .withRuntimes((config, id) -> runtime)
        .withTransports(() -> transport);
  }

  @AfterEach
  void closeScheduler() {
    scheduler.close();
  }

  private HttpResponse<String> send(Daemon daemon, HttpRequest.Builder request, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + daemon.adminAddress().getPort() + path);
    return http.send(request.uri(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMessagePublishedThroughTheAdminEndpointIsProcessedAndShowsInMetricsAndStatus() throws Exception {
    Daemon daemon = Daemon.create(LddConfig.parse(CONFIG, Map.of()), components()).start();
    try {
      assertThat(send(daemon, HttpRequest.newBuilder().GET(), "/readyz").statusCode()).isEqualTo(200);

      HttpResponse<String> published = send(daemon,
          HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString("{}")), "/v1/publish?topic=orders/eu/created");
      assertThat(published.statusCode()).isEqualTo(202);
      Await.until("the message to be accepted", Duration.ofSeconds(10), () -> broker.stats("orders").accepted() == 1);

      assertThat(send(daemon, HttpRequest.newBuilder().GET(), "/metrics").body())
          .contains("ldd_invocations_total{function=\"enrich\",outcome=\"ok\"} 1.0");
      assertThat(send(daemon, HttpRequest.newBuilder().GET(), "/v1/functions").body()).contains("\"enrich\"");
    } finally {
      Optional<DrainReport> report = daemon.stop();
      assertThat(report).isPresent();
    }
    assertThat(runtime.running()).isEmpty();
  }

  @Test
  void anAdminPortInUseIsReportedWithWhatToDo() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      LddConfig config = LddConfig.parse(CONFIG.replace("port: 0", "port: " + taken.getLocalPort()), Map.of());
      Daemon daemon = Daemon.create(config, components());

      assertThatThrownBy(daemon::start)
          .isInstanceOf(dev.ldd.core.LddException.class)
          .hasMessageStartingWith("the admin endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageEndingWith("choose another daemon.admin.port (0 picks a free one)");
    }
  }
}
