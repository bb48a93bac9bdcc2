package dev.ldd.launcher.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.common.util.concurrent.AbstractIdleService;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.Publication;
import dev.ldd.launcher.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's admin HTTP endpoint, on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process runs;
 *   <li>{@code GET /readyz}: 200 once the readiness supplier says so, else 503;
 *   <li>{@code GET /metrics}: the metrics in the Prometheus text format;
 *   <li>{@code GET /v1/functions}: the status supplier's snapshot as JSON (values of keys naming a
 *       secret are written as {@code ***});
 *   <li>{@code POST /v1/publish?topic=T}: publishes the body to {@code T} through the publisher, with
 *       properties from {@code X-Ldd-Property-<name>: value} headers (HTTP lower-cases header names, so
 *       these names arrive lower-case) and from {@code property=name=value} query parameters (case kept).
 *       202 once the bus confirmed; 400/413 for a bad request; 404 when there is no publisher (no
 *       embedded source); 502 when the bus refused; 504 when it did not confirm in time.
 * </ul>
 *
 * A Guava {@link com.google.common.util.concurrent.Service}: {@code startAsync().awaitRunning()} binds,
 * {@code stopAsync().awaitTerminated()} closes. The suppliers are called on the server's two
 * {@code ldd-admin} threads and must not block for long; publishing does not hold a thread while it waits.
 */
public final class AdminServer extends AbstractIdleService {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROPERTY_HEADER = "x-ldd-property-";

  private final String bind;
  private final int port;
  private final BooleanSupplier readiness;
  private final Supplier<?> status;
  private final Supplier<String> metrics;
  private final Optional<MessagePublisher> publisher;
  private final Duration publishTimeout;
  private final int maxPayloadBytes;
  private final ObjectMapper json;
  private volatile HttpServer server;
  private ExecutorService executor;

  private AdminServer(Builder b) {
    this.bind = b.bind;
    this.port = b.port;
    this.readiness = b.readiness;
    this.status = b.status;
    this.metrics = b.metrics;
    this.publisher = Optional.ofNullable(b.publisher);
    this.publishTimeout = b.publishTimeout;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.json = new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address the server listens on; valid once running (useful with port 0). */
  public InetSocketAddress address() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the admin server is not running (" + state() + ")");
    }
    return s.getAddress();
  }

  @Override
  protected void startUp() throws IOException {
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ldd-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 64);
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    server = s;
    log.info("admin endpoint listening on http://{}:{}", s.getAddress().getHostString(), s.getAddress().getPort());
  }

  @Override
  protected void shutDown() {
    HttpServer s = server;
    if (s != null) {
      s.stop(0);
    }
    executor.shutdownNow();
  }

  @Override
  protected String serviceName() {
    return "admin-server";
  }

  private void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (RuntimeException | IOException e) {
      log.warn("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      respondQuietly(exchange, 500, error("internal error: " + e.getMessage()));
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/healthz" -> {
        if (allow(exchange, "GET")) {
          respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        }
      }
      case "/readyz" -> {
        if (allow(exchange, "GET")) {
          boolean ready = readiness.getAsBoolean();
          respond(exchange, ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n");
        }
      }
      case "/metrics" -> {
        if (allow(exchange, "GET")) {
          respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        }
      }
      case "/v1/functions" -> {
        if (allow(exchange, "GET")) {
          respondJson(exchange, 200, masked(json.valueToTree(status.get())));
        }
      }
      case "/v1/publish" -> {
        if (allow(exchange, "POST")) {
          publish(exchange);
        }
      }
      default -> respondJson(exchange, 404, error("no such endpoint: " + method + " " + path
          + " (try /healthz, /readyz, /metrics, /v1/functions, POST /v1/publish?topic=T)"));
    }
  }

  private boolean allow(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    respondJson(exchange, 405, error(exchange.getRequestURI().getPath() + " accepts " + method + " only"));
    return false;
  }

  private void publish(HttpExchange exchange) throws IOException {
    if (publisher.isEmpty()) {
      respondJson(exchange, 404, error("no embedded source: publishing through the admin endpoint needs "
          + "source.type embedded"));
      return;
    }
    Map<String, List<String>> query = query(exchange.getRequestURI());
    List<String> topics = query.getOrDefault("topic", List.of());
    if (topics.size() != 1 || topics.get(0).isEmpty()) {
      respondJson(exchange, 400, error("give exactly one topic: POST /v1/publish?topic=orders/eu/created"));
      return;
    }
    String topic = topics.get(0);
    if (topic.contains("//") || topic.startsWith("/") || topic.endsWith("/")
        || topic.getBytes(StandardCharsets.UTF_8).length > 250) {
      respondJson(exchange, 400, error("topic '" + topic + "' is not a valid topic: levels separated by single "
          + "'/', at most 250 bytes"));
      return;
    }
    Map<String, String> properties = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (name.toLowerCase(Locale.ROOT).startsWith(PROPERTY_HEADER) && name.length() > PROPERTY_HEADER.length()) {
        properties.put(name.substring(PROPERTY_HEADER.length()).toLowerCase(Locale.ROOT), values.get(0));
      }
    });
    for (String p : query.getOrDefault("property", List.of())) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        respondJson(exchange, 400, error("property '" + p + "' must be name=value"));
        return;
      }
      properties.put(p.substring(0, eq), p.substring(eq + 1));
    }
    byte[] payload = readBody(exchange);
    if (payload == null) {
      respondJson(exchange, 413, error("payload larger than " + maxPayloadBytes + " bytes"));
      return;
    }
    CompletableFuture<Void> confirmed;
    try {
      confirmed = publisher.get().publish(new Publication(topic, payload, properties));
    } catch (RuntimeException e) {
      confirmed = CompletableFuture.failedFuture(e);
    }
    confirmed.orTimeout(publishTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
      if (failure == null) {
        ObjectNode body = json.createObjectNode().put("topic", topic).put("bytes", payload.length);
        body.putPOJO("properties", properties);
        respondJsonQuietly(exchange, 202, body);
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
          respondJsonQuietly(exchange, 504, error("the bus did not confirm the message within " + publishTimeout));
        } else {
          respondJsonQuietly(exchange, 502, error("the bus refused the message: " + cause.getMessage()));
        }
      }
    });
  }

  /** The body, or null when it is larger than the limit. */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxPayloadBytes + 1);
      return body.length > maxPayloadBytes ? null : body;
    }
  }

  private static Map<String, List<String>> query(URI uri) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** Replaces, at any depth, the values of fields whose name says they hold a secret. */
  static JsonNode masked(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (Secret.isSecretKey(field.getKey()) && field.getValue().isValueNode()) {
          field.setValue(object.textNode(Secret.MASK));
        } else {
          masked(field.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(AdminServer::masked);
    }
    return node;
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private void respondJson(HttpExchange exchange, int code, JsonNode body) throws IOException {
    try {
      respond(exchange, code, "application/json", json.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
    } catch (JsonProcessingException e) {
      throw new IOException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private void respondJsonQuietly(HttpExchange exchange, int code, JsonNode body) {
    try {
      respondJson(exchange, code, body);
    } catch (IOException e) {
      log.debug("cannot answer admin request {}", exchange.getRequestURI(), e);
    }
  }

  private void respondQuietly(HttpExchange exchange, int code, JsonNode body) {
    respondJsonQuietly(exchange, code, body);
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Builds an {@link AdminServer}; everything has a default except what the daemon wires in. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port = 8080;
    private BooleanSupplier readiness = () -> false;
    private Supplier<?> status = Map::of;
    private Supplier<String> metrics = () -> "";
    private MessagePublisher publisher;
    private Duration publishTimeout = Duration.ofSeconds(10);
    private int maxPayloadBytes = 1 << 20;

    private Builder() {}

    /** The address to bind (127.0.0.1 by default). */
    public Builder bind(String bind) {
      this.bind = requireNonNull(bind, "bind");
      return this;
    }

    /** The port (8080 by default; 0 for a free one, see {@link AdminServer#address}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Whether the daemon is ready (source connected, engine running); not ready by default. */
    public Builder readiness(BooleanSupplier readiness) {
      this.readiness = requireNonNull(readiness, "readiness");
      return this;
    }

    /** The status snapshot {@code /v1/functions} serves, written with Jackson. */
    public Builder status(Supplier<?> status) {
      this.status = requireNonNull(status, "status");
      return this;
    }

    /** The Prometheus text {@code /metrics} serves, such as {@code PrometheusMeterRegistry::scrape}. */
    public Builder metrics(Supplier<String> metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /** Where {@code POST /v1/publish} sends messages; without one it answers 404. */
    public Builder publisher(MessagePublisher publisher) {
      this.publisher = publisher;
      return this;
    }

    public Builder publishTimeout(Duration publishTimeout) {
      this.publishTimeout = requireNonNull(publishTimeout, "publishTimeout");
      return this;
    }

    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 0) {
        throw new IllegalArgumentException("maxPayloadBytes must be >= 0, was " + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    public AdminServer build() {
      return new AdminServer(this);
    }
  }
}
