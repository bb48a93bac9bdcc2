package dev.ldd.examples.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.spi.Publication;
import dev.ldd.docker.DockerContainerRuntime;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.launcher.Daemon;
import dev.ldd.launcher.DaemonComponents;
import dev.ldd.launcher.adapters.DockerAdapter;
import dev.ldd.launcher.config.LddConfig;
import dev.ldd.launcher.config.RuntimeConfig;
import dev.ldd.launcher.config.SourceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the example configs (examples/ldd.yaml or ldd-process.yaml) run in the test's JVM through the
 * launcher's {@link Daemon}, on an embedded broker the test holds: its queues are the config's, plus
 * queues the daemon does not read that keep what it publishes to the dead-letter topics ({@code dlq/>})
 * and to {@code out/>}, for the test to browse. Admin port 0, a daemon id of its own.
 */
public final class ExampleDaemon implements AutoCloseable {
  /** Not read by the daemon: every dead letter the functions' dead-letter topics receive. */
  public static final String DEAD_LETTERS = "test-dead-letters";
  /** Not read by the daemon: what echo forwards to {@code out/...} (property {@code echo.to}). */
  public static final String OUTPUTS = "test-outputs";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

  private final String id;
  private final InMemoryBroker broker;
  private final Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();
  private boolean stopped;

  private ExampleDaemon(String id, InMemoryBroker broker, Daemon daemon) {
    this.id = id;
    this.broker = broker;
    this.daemon = daemon;
  }

  /** The examples folder (the module's base directory). */
  public static Path examplesDir() {
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isRegularFile(cwd.resolve("ldd.yaml")) ? cwd : cwd.resolve("examples");
  }

  /** The launcher's shaded jar, {@code ldd-launcher/target/ldd.jar}, which the launcher's package phase makes. */
  public static Path lddJar() {
    Path ldd = examplesDir().resolveSibling("ldd-launcher").resolve("target").resolve("ldd.jar");
    assertThat(ldd).as("the launcher's jar; build it with ./mvnw -pl ldd-launcher -am package").isRegularFile();
    return ldd;
  }

  /**
   * Reads {@code examples/<configFile>} with {@code env} over the test defaults (a fresh daemon id, admin
   * port 0, the test-made functions folder, no random flaky failures), then starts the daemon.
   */
  public static ExampleDaemon start(String configFile, Map<String, String> env) throws IOException {
    String id = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> vars = new HashMap<>(System.getenv());
    vars.put("LDD_DAEMON_ID", id);
    vars.put("LDD_ADMIN_PORT", "0");
    vars.put("FLAKY_FAILURE_RATE", "0");
    vars.put("EXAMPLES_FUNCTIONS", ExampleFunctions.directory().toString());
    vars.putAll(env);
    LddConfig config = LddConfig.load(examplesDir().resolve(configFile), vars);
    InMemoryBroker broker = new InMemoryBroker();
    DaemonComponents components = DaemonComponents.builtIn()
        .withSources((source, daemonId) -> bus(broker, (SourceConfig.Embedded) source))
        .withRuntimes((runtime, daemonId) -> runtime instanceof RuntimeConfig.Docker docker
            ? DockerContainerRuntime.create(DockerAdapter.toDockerConfig(docker).toBuilder()
                .labels(TestDocker.TEST_LABEL).build())
            : DaemonComponents.builtIn().runtimes().create(runtime, daemonId));
    return new ExampleDaemon(id, broker, Daemon.create(config, components).start());
  }

  private static DaemonComponents.Bus bus(InMemoryBroker broker, SourceConfig.Embedded config) {
    for (SourceConfig.EmbeddedQueue q : config.queues()) {
      broker.createQueue(q.name(), q.subscriptions(), q.maxRedeliveries());
    }
    broker.createQueue(DEAD_LETTERS, "dlq/>");
    broker.createQueue(OUTPUTS, "out/>");
    return new DaemonComponents.Bus(broker.source(config.queueNames().toArray(String[]::new)), broker,
        Optional.of(broker), () -> { });
  }

  public String id() {
    return id;
  }

  public InMemoryBroker broker() {
    return broker;
  }

  public Daemon daemon() {
    return daemon;
  }

  /** Publishes on the bus (not through the admin endpoint); completes when the broker stored it. */
  public CompletableFuture<Void> publish(String topic, String payload, Map<String, String> properties) {
    return broker.publish(new Publication(topic, payload.getBytes(UTF_8), properties));
  }

  /** {@code POST /v1/publish}; returns the status code. */
  /**
   * Sends {@code total} messages to echo: all but {@code throughAdmin} straight on the bus (waiting for
   * their confirmations), the rest through {@code POST /v1/publish}, each of which must answer 202.
   */
  public void publishEchoes(int total, int throughAdmin) throws Exception {
    java.util.List<CompletableFuture<Void>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < total - throughAdmin; i++) {
      sent.add(publish("echo/bus/" + i, "message " + i, Map.of()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < throughAdmin; i++) {
      int status = adminPublish("echo/admin/" + i, "admin " + i, Map.of());
      if (status != 202) {
        throw new AssertionError("POST /v1/publish answered " + status + ", not 202");
      }
    }
  }

  public int adminPublish(String topic, String payload, Map<String, String> properties) throws Exception {
    StringBuilder query = new StringBuilder("topic=").append(URLEncoder.encode(topic, UTF_8));
    properties.forEach((k, v) -> query.append("&property=").append(URLEncoder.encode(k + "=" + v, UTF_8)));
    HttpRequest request = HttpRequest.newBuilder(admin("/v1/publish?" + query))
        .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  public String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** {@code /v1/functions}, parsed. */
  public JsonNode functions() throws Exception {
    return JSON.readTree(get("/v1/functions"));
  }

  /** The status of {@code function} in {@code /v1/functions}. */
  public JsonNode function(String name) throws Exception {
    for (JsonNode f : functions().get("functions")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no function '" + name + "' in /v1/functions");
  }

  /**
   * The sum of the {@code /metrics} samples named {@code name} whose labels include every one of
   * {@code labels} (pairs: name, value); 0 when there is none.
   */
  public double metric(String name, String... labels) throws Exception {
    return sample(get("/metrics"), name, labels);
  }

  public static double sample(String scrape, String name, String... labels) {
    double sum = 0;
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      String l = m.group(2) == null ? "" : m.group(2);
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= l.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  /** What the daemon published to a dead-letter topic, oldest first. */
  public List<Publication> deadLetters() {
    return broker.browse(DEAD_LETTERS).stream()
        .map(m -> new Publication(m.topic(), m.payload(), m.properties())).toList();
  }

  private URI admin(String path) {
    var a = daemon.adminAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + path);
  }

  /** Drains and stops the daemon (idempotent). */
  public void stop() {
    if (!stopped) {
      stopped = true;
      daemon.stop();
    }
  }

  @Override
  public void close() {
    stop();
    broker.close();
  }
}
