package dev.ldd.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.spi.Publication;
import dev.ldd.launcher.testing.RecordingPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AdminServer server;

  record InstanceStatus(String id, String state, int inFlight) {}

  record FunctionStatus(String name, List<InstanceStatus> instances, Map<String, String> env, Duration idle) {}

  private AdminServer start(AdminServer.Builder builder) {
    server = builder.bind("127.0.0.1").port(0).build();
    server.startAsync().awaitRunning();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stopAsync().awaitTerminated();
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  @Test
  void healthIsOkWhileRunningAndReadinessFollowsItsSupplier() throws Exception {
    AtomicBoolean ready = new AtomicBoolean();
    start(AdminServer.builder().readiness(ready::get));

    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    ready.set(true);
    HttpResponse<String> readyz = get("/readyz");
    assertThat(readyz.statusCode()).isEqualTo(200);
    assertThat(readyz.body()).isEqualTo("ready\n");
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    start(AdminServer.builder().metrics(() -> "# TYPE ldd_x counter\nldd_x_total 1.0\n"));

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).contains("ldd_x_total 1.0");
  }

  @Test
  void functionStatusIsJsonWithSecretsMasked() throws Exception {
    start(AdminServer.builder().status(() -> List.of(new FunctionStatus("enrich",
        List.of(new InstanceStatus("enrich-1", "BUSY", 2)), Map.of("DB_PASSWORD", "pa55", "REGION", "eu"),
        Duration.ofMinutes(5)))));

    HttpResponse<String> r = get("/v1/functions");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).contains("\"name\" : \"enrich\"", "\"state\" : \"BUSY\"", "\"inFlight\" : 2",
        "\"REGION\" : \"eu\"", "\"DB_PASSWORD\" : \"***\"", "\"idle\" : \"PT5M\"").doesNotContain("pa55");
  }

  @Test
  void publishSendsTheBodyWithItsPropertiesAndAnswers202OnceConfirmed() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    start(AdminServer.builder().publisher(publisher));

    HttpResponse<String> r = post("/v1/publish?topic=orders/eu/created&property=orderId=42", "{\"id\":42}",
        "X-Ldd-Property-Source", "cli");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"topic\" : \"orders/eu/created\"", "\"bytes\" : 9");
    Publication p = publisher.published.get(0);
    assertThat(p.topic()).isEqualTo("orders/eu/created");
    assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":42}");
    assertThat(p.properties()).isEqualTo(Map.of("orderId", "42", "source", "cli"));
  }

  @Test
  void badPublishRequestsAreRefusedWithAClearError() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    start(AdminServer.builder().publisher(publisher).maxPayloadBytes(4));

    assertThat(post("/v1/publish", "x")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("give exactly one topic");
    });
    assertThat(post("/v1/publish?topic=a//b", "x").statusCode()).isEqualTo(400);
    assertThat(post("/v1/publish?topic=a&property=novalue", "x").body()).contains("must be name=value");
    assertThat(post("/v1/publish?topic=a", "too long").statusCode()).isEqualTo(413);
    assertThat(get("/v1/publish?topic=a")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).contains("POST");
    });
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void publishAnswers502WhenTheBusRefusesAnd504WhenItDoesNotConfirm() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    start(AdminServer.builder().publisher(publisher).publishTimeout(Duration.ofMillis(200)));

    publisher.answer = p -> CompletableFuture.failedFuture(new IllegalStateException("queue full"));
    assertThat(post("/v1/publish?topic=a", "x")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("the bus refused the message: queue full");
    });
    publisher.answer = p -> new CompletableFuture<>();
    assertThat(post("/v1/publish?topic=a", "x").statusCode()).isEqualTo(504);
  }

  @Test
  void publishWithoutAnEmbeddedSourceIs404() throws Exception {
    start(AdminServer.builder());

    HttpResponse<String> r = post("/v1/publish?topic=a", "x");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no embedded source");
  }
}
