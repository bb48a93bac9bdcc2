package dev.ldd.launcher.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ldd.core.ConfigException;
import dev.ldd.core.NoRoutePolicy;
import dev.ldd.core.model.Concurrency;
import dev.ldd.core.model.PublishMode;
import dev.ldd.core.model.Resources;
import dev.ldd.core.routing.Route;
import dev.ldd.core.routing.RoutingTable;
import dev.ldd.core.routing.TopicSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds the YAML tree to the configuration records, collecting every problem with its path. Not
 * thread-safe; one binder reads one file.
 */
final class ConfigBinder {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final String NAME_RULE = "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private final Substitution substitution;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  /** Threads a function's JVM runs besides its invocation threads (GC, compilers, the SDK's reader). */
  private static final int JVM_BASE_THREADS = 32;
  /** Where each route was declared, for the cross-checks that run once every function is read. */
  private final Map<RouteConfig, String> routePaths = new IdentityHashMap<>();

  ConfigBinder(Map<String, String> env) {
    this.substitution = new Substitution(env);
  }

  LddConfig bind(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new ConfigException("not valid YAML: " + where + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException("the configuration is empty: it needs daemon, source, runtime and functions");
    }
    if (!root.isObject()) {
      throw new ConfigException("the configuration must be a mapping with daemon, source, runtime and functions");
    }
    Mapping top = new Mapping("", (ObjectNode) root, false);
    DaemonConfig daemon = daemon(top.mapping("daemon", true));
    int before = problems.size();
    SourceConfig source = source(top.mapping("source", true));
    boolean sourceRead = problems.size() == before;
    RuntimeConfig runtime = runtime(top.mapping("runtime", true));
    NoRouteConfig noRoute = noRoute(top.mapping("noRoute", false));
    List<FunctionConfig> functions = functions(top, runtime);
    top.finish();
    crossCheckRoutes(source, sourceRead, functions);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new LddConfig(daemon, source, runtime, noRoute, functions, warnings);
  }

  // ---- sections -------------------------------------------------------------------------------------

  private DaemonConfig daemon(Mapping m) {
    String id = m.name("id", true);
    Mapping adminMap = m.mapping("admin", false);
    String bind = adminMap.string("bind", AdminConfig.DEFAULT.bind());
    int port = adminMap.integer("port", AdminConfig.DEFAULT.port(), 0, 65535);
    adminMap.finish();
    Duration drain = m.duration("drainTimeout", DaemonConfig.DEFAULT_DRAIN_TIMEOUT, true);
    int maxInFlight = m.integer("maxInFlight", DaemonConfig.DEFAULT_MAX_IN_FLIGHT, 1, Integer.MAX_VALUE);
    m.finish();
    return build(m.path, () -> new DaemonConfig(id == null ? "-" : id, new AdminConfig(bind, port), drain,
        maxInFlight));
  }

  private SourceConfig source(Mapping m) {
    String type = m.choice("type", null, Map.of("embedded", "embedded", "solace", "solace"), true);
    if (type == null) {
      m.ignoreRest();
      return new SourceConfig.Embedded(List.of());
    }
    SourceConfig result = type.equals("embedded") ? embedded(m) : solace(m);
    m.finish();
    return result;
  }

  private SourceConfig embedded(Mapping m) {
    List<SourceConfig.EmbeddedQueue> queues = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Mapping q : m.mappings("queues", true)) {
      String name = q.queueName("name", seen);
      List<String> subscriptions = q.subscriptions("subscriptions", false);
      int maxRedeliveries = q.integer("maxRedeliveries", SourceConfig.EmbeddedQueue.DEFAULT_MAX_REDELIVERIES, 0,
          Integer.MAX_VALUE);
      q.finish();
      if (name != null) {
        queues.add(new SourceConfig.EmbeddedQueue(name, subscriptions, maxRedeliveries));
      }
    }
    return new SourceConfig.Embedded(queues);
  }

  private SourceConfig solace(Mapping m) {
    List<SourceConfig.SolaceSession> sessions = new ArrayList<>();
    Map<String, String> sessionNames = new HashMap<>();
    Map<String, String> queueNames = new HashMap<>();
    for (Mapping s : m.mappings("sessions", true)) {
      List<String> hosts = s.strings("hosts", true);
      String vpn = s.string("vpn", null, true);
      String name = s.has("name") ? s.name("name", true) : vpn;
      if (name != null && sessionNames.putIfAbsent(name, s.at("name")) != null) {
        s.problem("name", "duplicate session '" + name + "' (also " + sessionNames.get(name) + ")");
      }
      Optional<String> username = Optional.ofNullable(s.string("username", null));
      Optional<Secret> password = s.secret("password");
      Optional<String> clientName = Optional.ofNullable(s.string("clientName", null));
      Optional<SourceConfig.Tls> tls = s.has("tls") ? Optional.of(tls(s.mapping("tls", false))) : Optional.empty();
      Optional<SourceConfig.ClientCertificate> certificate = Optional.empty();
      if (s.has("clientCertificate")) {
        Mapping c = s.mapping("clientCertificate", false);
        String keyStore = c.string("keyStore", null, true);
        certificate = Optional.of(new SourceConfig.ClientCertificate(keyStore == null ? "-" : keyStore,
            c.secret("keyStorePassword"), Optional.ofNullable(c.string("keyStoreFormat", null)),
            Optional.ofNullable(c.string("privateKeyAlias", null)), c.secret("privateKeyPassword")));
        c.finish();
      }
      if (username.isEmpty() && certificate.isEmpty()) {
        s.problem("username", "is required unless clientCertificate is set");
      }
      Mapping r = s.mapping("retries", false);
      SourceConfig.Retries d = SourceConfig.Retries.DEFAULT;
      SourceConfig.Retries retries = new SourceConfig.Retries(r.integer("connect", d.connect(), -1, Integer.MAX_VALUE),
          r.integer("connectPerHost", d.connectPerHost(), 0, Integer.MAX_VALUE),
          r.integer("reconnect", d.reconnect(), -1, Integer.MAX_VALUE),
          r.duration("reconnectWait", d.reconnectWait(), true));
      r.finish();
      int publishWindow = s.integer("publishWindow", SourceConfig.SolaceSession.DEFAULT_PUBLISH_WINDOW, 1, 255);
      List<SourceConfig.SolaceQueue> queues = new ArrayList<>();
      for (Mapping q : s.mappings("queues", true)) {
        String qName = q.queueName("name", queueNames);
        int window = q.integer("window", SourceConfig.SolaceQueue.DEFAULT_WINDOW, 1, 255);
        boolean afi = q.bool("activeFlowIndication", true);
        SourceConfig.SettlementMode settlement = q.choice("settlement", SourceConfig.SettlementMode.SETTLE,
            Map.of("settle", SourceConfig.SettlementMode.SETTLE, "rebind", SourceConfig.SettlementMode.REBIND),
            false);
        Optional<SourceConfig.Provision> provision = Optional.empty();
        if (q.has("provision")) {
          Mapping p = q.mapping("provision", false);
          provision = Optional.of(new SourceConfig.Provision(p.bool("exclusive", false),
              p.subscriptions("subscriptions", false), p.integer("maxRedelivery", 0, 0, 255)));
          p.finish();
        }
        q.finish();
        if (qName != null) {
          queues.add(new SourceConfig.SolaceQueue(qName, window, afi, settlement, provision));
        }
      }
      s.finish();
      if (name != null && !hosts.isEmpty() && vpn != null) {
        sessions.add(new SourceConfig.SolaceSession(name, hosts, vpn, username, password, clientName, tls,
            certificate, retries, publishWindow, queues));
      }
    }
    SourceConfig.Backoff rebuild = backoff(m.mapping("rebuildBackoff", false), SourceConfig.Solace.DEFAULT_REBUILD);
    SourceConfig.Backoff rebind = backoff(m.mapping("rebindBackoff", false), SourceConfig.Solace.DEFAULT_REBIND);
    Mapping p = m.mapping("publisher", false);
    Optional<String> session = Optional.ofNullable(p.string("session", null));
    if (session.isPresent() && !sessionNames.containsKey(session.get())) {
      p.problem("session", "unknown session '" + session.get() + "'; the sessions are "
          + new java.util.TreeSet<>(sessionNames.keySet()));
    }
    SourceConfig.PublishDelivery delivery = p.choice("delivery", SourceConfig.PublishDelivery.PERSISTENT,
        Map.of("persistent", SourceConfig.PublishDelivery.PERSISTENT, "direct", SourceConfig.PublishDelivery.DIRECT),
        false);
    if (delivery == SourceConfig.PublishDelivery.DIRECT) {
      warnings.add(p.at("delivery") + ": direct publishing is not confirmed by the broker: function output and "
          + "dead-letter copies can be lost");
    }
    p.finish();
    if (sessions.isEmpty()) {
      return new SourceConfig.Embedded(List.of()); // only reached with problems already recorded
    }
    return new SourceConfig.Solace(sessions, rebuild, rebind, new SourceConfig.SolacePublisher(session, delivery));
  }

  private SourceConfig.Backoff backoff(Mapping b, SourceConfig.Backoff defaults) {
    Duration initial = b.duration("initial", defaults.initial(), false);
    Duration max = b.duration("max", defaults.max(), false);
    if (max.compareTo(initial) < 0) {
      b.problem("max", "must be >= initial (" + initial + "), was " + max);
    }
    double multiplier = b.parsed("multiplier", defaults.multiplier(), text -> {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a number such as 2 or 1.5, was '" + text + "'");
      }
    });
    if (multiplier < 1) {
      b.problem("multiplier", "must be >= 1, was " + multiplier);
    }
    b.finish();
    return new SourceConfig.Backoff(initial, max, multiplier);
  }

  private SourceConfig.Tls tls(Mapping t) {
    Optional<String> trustStore = Optional.ofNullable(t.string("trustStore", null));
    Optional<Secret> trustStorePassword = t.secret("trustStorePassword");
    Optional<String> trustStoreFormat = Optional.ofNullable(t.choice("trustStoreFormat", null,
        Map.of("jks", "jks", "pkcs12", "pkcs12"), false));
    boolean validateCertificate = t.bool("validateCertificate", true);
    boolean validateHost = t.bool("validateHost", true);
    if (trustStorePassword.isPresent() && trustStore.isEmpty()) {
      t.problem("trustStorePassword", "given without a trustStore");
    }
    if (!validateCertificate) {
      if (t.has("validateHost") && validateHost) {
        t.problem("validateHost", "needs validateCertificate: true");
      }
      validateHost = false;
      warnings.add(t.at("validateCertificate") + ": the broker's certificate is not checked");
    }
    t.finish();
    return new SourceConfig.Tls(trustStore, trustStorePassword, trustStoreFormat, validateCertificate, validateHost);
  }

  private RuntimeConfig runtime(Mapping m) {
    String type = m.choice("type", null, Map.of("docker", "docker", "process", "process"), true);
    if (type == null) {
      m.ignoreRest();
      return new RuntimeConfig.Process(RuntimeConfig.Process.currentJava(), Optional.empty(),
          RuntimeConfig.DEFAULT_STOP_GRACE);
    }
    RuntimeConfig result;
    if (type.equals("docker")) {
      String host = m.string("host", substitution.env("DOCKER_HOST").orElse(RuntimeConfig.Docker.DEFAULT_HOST));
      String network = m.string("network", "bridge");
      String publishHost = m.string("publishHost", "127.0.0.1");
      boolean containerAddress = m.choice("endpoint", "published",
          Map.of("published", "published", "container", "container"), false).equals("container");
      if (containerAddress && network.equals("host")) {
        warnings.add(m.at("endpoint") + ": 'container' has no effect on the host network; functions listen on "
            + "their port on the host");
      }
      boolean noNewPrivileges = m.bool("noNewPrivileges", true);
      boolean dropAllCapabilities = m.bool("dropAllCapabilities", true);
      boolean readOnly = m.bool("readOnlyRootfs", false);
      Optional<String> user = Optional.ofNullable(m.string("user", null));
      int pids = m.integer("defaultPidsLimit", (int) RuntimeConfig.Docker.DEFAULT_PIDS_LIMIT, 0, Integer.MAX_VALUE);
      int parallel = m.integer("maxParallelStarts", RuntimeConfig.Docker.DEFAULT_MAX_PARALLEL_STARTS, 1, 1024);
      Duration grace = m.duration("stopGrace", RuntimeConfig.DEFAULT_STOP_GRACE, true);
      Map<String, String> labels = m.stringMap("labels");
      for (String key : labels.keySet()) {
        if (key.startsWith("ldd.")) {
          m.problem("labels." + key, "labels starting with ldd. are LDD's own");
        }
      }
      result = new RuntimeConfig.Docker(host, network, publishHost, containerAddress, noNewPrivileges,
          dropAllCapabilities, readOnly,
          user, pids, parallel, grace, labels);
    } else {
      String java = m.string("java", null);
      String workDir = m.string("workDir", null);
      Duration grace = m.duration("stopGrace", RuntimeConfig.DEFAULT_STOP_GRACE, true);
      result = new RuntimeConfig.Process(java == null ? RuntimeConfig.Process.currentJava() : Path.of(java),
          Optional.ofNullable(workDir).map(Path::of), grace);
    }
    m.finish();
    return result;
  }

  private NoRouteConfig noRoute(Mapping m) {
    NoRoutePolicy policy = m.choice("policy", NoRoutePolicy.DEAD_LETTER,
        Map.of("deadLetter", NoRoutePolicy.DEAD_LETTER, "accept", NoRoutePolicy.ACCEPT), false);
    Optional<String> topic = Optional.ofNullable(m.topic("deadLetterTopic"));
    if (topic.isPresent() && policy != NoRoutePolicy.DEAD_LETTER) {
      m.problem("deadLetterTopic", "applies only to policy deadLetter, and the policy is accept");
      topic = Optional.empty();
    }
    m.finish();
    return new NoRouteConfig(policy, topic);
  }

  private List<FunctionConfig> functions(Mapping top, RuntimeConfig runtime) {
    List<FunctionConfig> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (Mapping f : top.mappings("functions", true)) {
      FunctionConfig fc = function(f, runtime, names);
      if (fc != null) {
        out.add(fc);
      }
    }
    return out;
  }

  private FunctionConfig function(Mapping f, RuntimeConfig runtime, Map<String, String> names) {
    String name = f.name("name", true);
    if (name != null && names.putIfAbsent(name, f.path) != null) {
      f.problem("name", "duplicate function '" + name + "' (also " + names.get(name) + ")");
    }
    Optional<String> image = Optional.ofNullable(f.string("image", null));
    List<String> command = f.command("command");
    Optional<String> jar = Optional.ofNullable(f.string("jar", null));
    Optional<String> mainClass = Optional.ofNullable(f.string("mainClass", null));
    boolean docker = runtime instanceof RuntimeConfig.Docker;
    if (docker) {
      if (image.isEmpty()) {
        f.problem("image", "is required with the docker runtime");
      }
      if (jar.isPresent()) {
        f.problem("jar", "applies to the process runtime only; build an image from the jar with 'ldd image build'");
      }
      if (mainClass.isPresent()) {
        f.problem("mainClass", "applies to the process runtime only");
      }
    } else {
      if (command.isEmpty() && jar.isEmpty()) {
        f.problem(null, "needs a command or a jar with the process runtime");
      }
      if (!command.isEmpty() && jar.isPresent()) {
        f.problem("jar", "give either command or jar, not both");
      }
      if (mainClass.isPresent() && jar.isEmpty()) {
        f.problem("mainClass", "needs a jar");
      }
    }
    int port = f.integer("port", 8080, 1, 65535);
    Map<String, String> env = f.stringMap("env");
    for (String key : env.keySet()) {
      if (key.startsWith("LDD_")) {
        f.problem("env." + key, "LDD_* variables are set by the daemon");
      }
    }
    List<RouteConfig> routes = new ArrayList<>();
    for (Mapping r : f.mappings("routes", true)) {
      String queue = r.string("queue", null, true);
      List<String> topics = r.subscriptions("topics", true);
      r.finish();
      if (queue != null && !topics.isEmpty()) {
        routes.add(new RouteConfig(queue, topics));
        routePaths.put(routes.get(routes.size() - 1), r.path);
      }
    }
    Mapping c = f.mapping("concurrency", false);
    int perInstance = c.integer("perInstance", Concurrency.DEFAULT.perInstance(), 1, 10_000);
    int minInstances = c.integer("minInstances", Concurrency.DEFAULT.minInstances(), 0, 10_000);
    int maxRead = c.integer("maxInstances", Concurrency.DEFAULT.maxInstances(), 1, 10_000);
    if (maxRead < minInstances) {
      c.problem("maxInstances", "must be >= minInstances (" + minInstances + "), was " + maxRead
          + (c.has("maxInstances") ? "" : " (the default)"));
    }
    int maxInstances = Math.max(maxRead, minInstances);
    c.finish();
    Duration idle = f.duration("idleTimeout", Duration.ofMinutes(5), false);
    Duration invocation = f.duration("invocationTimeout", Duration.ofSeconds(30), false);
    Duration start = f.duration("startTimeout", Duration.ofSeconds(30), false);
    int maxDeliveries = f.integer("maxDeliveries", 5, 1, 10_000);
    boolean killOnError = f.bool("killOnError", true);
    Mapping d = f.mapping("deadLetter", false);
    Optional<String> deadLetterTopic = Optional.ofNullable(d.topic("topic"));
    d.finish();
    PublishMode publishMode = f.choice("publishMode", PublishMode.BUFFERED,
        Map.of("buffered", PublishMode.BUFFERED, "immediate", PublishMode.IMMEDIATE), false);
    Mapping res = f.mapping("resources", false);
    long memory = res.parsed("memory", 0L, Units::parseSize);
    long nanoCpus = res.parsed("cpus", 0L, Units::parseNanoCpus);
    int pids = res.integer("pids", 0, 0, Integer.MAX_VALUE);
    res.finish();
    if (runtime instanceof RuntimeConfig.Docker dockerRuntime) {
      long limit = pids > 0 ? pids : dockerRuntime.defaultPidsLimit();
      if (limit > 0 && perInstance + JVM_BASE_THREADS > limit) {
        warnings.add(c.at("perInstance") + ": " + perInstance + " concurrent invocations leave too little of the "
            + "pids limit of " + limit + (pids > 0 ? " (" + res.at("pids") + ")" : " (runtime.defaultPidsLimit)")
            + ": the Java SDK runs a thread per concurrent invocation besides about " + JVM_BASE_THREADS
            + " threads of the JVM, and an instance that cannot start a thread exits at its first burst; raise "
            + res.at("pids") + " to at least " + (perInstance + JVM_BASE_THREADS) + " or lower perInstance");
      }
    }
    f.finish();
    if (name == null) {
      return null;
    }
    return build(f.path, () -> new FunctionConfig(name, image, command, jar, mainClass, port, env,
        routes, new Concurrency(perInstance, minInstances, maxInstances), idle, invocation, start,
        maxDeliveries, killOnError, deadLetterTopic, publishMode, new Resources(memory, nanoCpus, pids)));
  }

  /**
   * Routes against the source's queues (only when the source was read without problems: otherwise its
   * queue list is not to be trusted), and equally specific routes.
   */
  private void crossCheckRoutes(SourceConfig source, boolean sourceRead, List<FunctionConfig> functions) {
    List<String> queues = source.queueNames();
    Set<String> used = new LinkedHashSet<>();
    List<Route> routes = new ArrayList<>();
    for (FunctionConfig f : functions) {
      for (RouteConfig r : f.routes()) {
        used.add(r.queue());
        if (sourceRead && !queues.contains(r.queue())) {
          problems.add(routePaths.get(r) + ".queue: unknown queue '" + r.queue() + "'; the " + sourceName(source)
              + " source declares " + queues);
        }
        for (String topic : r.topics()) {
          routes.add(Route.of(r.queue(), topic, f.name()));
        }
      }
    }
    for (String tie : RoutingTable.of(routes).ties()) {
      warnings.add("routes: " + tie);
    }
    for (String queue : queues) {
      if (sourceRead && !used.contains(queue)) {
        warnings.add("source: no function routes from queue '" + queue + "'; its messages follow the noRoute policy");
      }
    }
  }

  private static String sourceName(SourceConfig source) {
    return source instanceof SourceConfig.Solace ? "solace" : "embedded";
  }

  /** Constructs a record, turning a compact-constructor refusal into a problem at {@code path}. */
  private <T> T build(String path, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add((path.isEmpty() ? "" : path + ": ") + e.getMessage());
      return null;
    }
  }

  // ---- reading one mapping --------------------------------------------------------------------------

  /**
   * One YAML mapping at {@link #path}. Every read records its key; {@link #finish} reports the keys never
   * read as unknown. A mapping that is absent reads as empty, so defaults apply; {@code silent} when it
   * was required and absent, so its own required keys are not reported a second time.
   */
  private final class Mapping {
    final String path;
    final ObjectNode node;
    final boolean silent;
    final Set<String> known = new LinkedHashSet<>();
    boolean ignored;

    Mapping(String path, ObjectNode node, boolean silent) {
      this.path = path;
      this.node = node;
      this.silent = silent;
    }

    String at(String key) {
      if (key == null) {
        return path;
      }
      return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String text) {
      problems.add(at(key) + ": " + text);
    }

    boolean has(String key) {
      known.add(key);
      JsonNode n = node.get(key);
      return n != null && !n.isNull();
    }

    private JsonNode raw(String key, boolean required) {
      known.add(key);
      JsonNode n = node.get(key);
      if (n == null || n.isNull()) {
        if (required && !silent) {
          problem(key, "is required");
        }
        return null;
      }
      return n;
    }

    /** The scalar at {@code key} with references resolved; null when absent or wrong (reported). */
    private String scalar(String key, boolean required) {
      JsonNode n = raw(key, required);
      if (n == null) {
        return null;
      }
      if (n.isContainerNode()) {
        problem(key, "must be a single value, was a " + kind(n));
        return null;
      }
      String resolved = substitution.resolve(n.asText(), text -> problem(key, text));
      if (resolved != null && required && resolved.isBlank()) {
        problem(key, "must not be empty");
        return null;
      }
      return resolved;
    }

    private String shown(String key, String value) {
      return Secret.isSecretKey(key) ? Secret.MASK : "'" + value + "'";
    }

    String string(String key, String def) {
      return string(key, def, false);
    }

    String string(String key, String def, boolean required) {
      String s = scalar(key, required);
      return s == null ? def : s;
    }

    /** A secret value (a password); masked wherever it is printed. */
    Optional<Secret> secret(String key) {
      return Optional.ofNullable(scalar(key, false)).map(Secret::of);
    }

    /** A name following the function-name rule. */
    String name(String key, boolean required) {
      String s = scalar(key, required);
      if (s != null && !NAME.matcher(s).matches()) {
        problem(key, NAME_RULE + ", was " + shown(key, s));
        return null;
      }
      return s;
    }

    /** A queue name, unique among those {@code seen} (name to path). */
    String queueName(String key, Map<String, String> seen) {
      String s = scalar(key, true);
      if (s == null) {
        return null;
      }
      if (s.chars().anyMatch(Character::isWhitespace)) {
        problem(key, "a queue name must not contain spaces, was '" + s + "'");
        return null;
      }
      String previous = seen.putIfAbsent(s, at(key));
      if (previous != null) {
        problem(key, "duplicate queue '" + s + "' (also " + previous + ")");
        return null;
      }
      return s;
    }

    /** A topic to publish to (dead letters); checked with the subscription syntax. */
    String topic(String key) {
      String s = scalar(key, false);
      if (s == null) {
        return null;
      }
      try {
        TopicSubscription.compile(s);
        return s;
      } catch (IllegalArgumentException e) {
        problem(key, e.getMessage());
        return null;
      }
    }

    int integer(String key, int def, int min, int max) {
      String s = scalar(key, false);
      if (s == null) {
        return def;
      }
      long v;
      try {
        v = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        problem(key, "must be a whole number, was " + shown(key, s));
        return def;
      }
      if (v < min || v > max) {
        problem(key, (max == Integer.MAX_VALUE ? "must be >= " + min : "must be in " + min + ".." + max)
            + ", was " + v);
        return def;
      }
      return (int) v;
    }

    boolean bool(String key, boolean def) {
      String s = scalar(key, false);
      if (s == null) {
        return def;
      }
      return switch (s.trim()) {
        case "true" -> true;
        case "false" -> false;
        default -> {
          problem(key, "must be true or false, was " + shown(key, s));
          yield def;
        }
      };
    }

    Duration duration(String key, Duration def, boolean zeroAllowed) {
      Duration d = parsed(key, def, Units::parseDuration);
      if (d.isZero() && !zeroAllowed) {
        problem(key, "must be longer than 0");
        return def;
      }
      return d;
    }

    <T> T parsed(String key, T def, Function<String, T> parser) {
      String s = scalar(key, false);
      if (s == null) {
        return def;
      }
      try {
        return parser.apply(s);
      } catch (IllegalArgumentException e) {
        problem(key, Secret.isSecretKey(key) ? "is not valid" : e.getMessage());
        return def;
      }
    }

    /** One of {@code names} (its spelling in the file to its value). */
    <T> T choice(String key, T def, Map<String, T> names, boolean required) {
      String s = scalar(key, required);
      if (s == null) {
        return def;
      }
      T value = names.get(s.trim());
      if (value == null) {
        problem(key, "must be one of " + String.join(", ", new java.util.TreeSet<>(names.keySet())) + ", was '"
            + s + "'");
        return def;
      }
      return value;
    }

    /** A nested mapping: empty (defaults apply) when absent. */
    Mapping mapping(String key, boolean required) {
      JsonNode n = raw(key, required);
      if (n == null) {
        return new Mapping(at(key), YAML.createObjectNode(), true);
      }
      if (!n.isObject()) {
        problem(key, "must be a mapping, was a " + kind(n));
        return new Mapping(at(key), YAML.createObjectNode(), true);
      }
      return new Mapping(at(key), (ObjectNode) n, false);
    }

    /** The elements of a list (none, with a problem, when it is not a list). */
    private JsonNode list(String key, boolean required) {
      JsonNode n = raw(key, required);
      if (n == null) {
        return YAML.createArrayNode();
      }
      if (!n.isArray()) {
        problem(key, "must be a list, was a " + kind(n));
        return YAML.createArrayNode();
      }
      if (n.isEmpty() && required) {
        problem(key, "must not be empty");
      }
      return n;
    }

    /** A list of mappings. */
    List<Mapping> mappings(String key, boolean required) {
      JsonNode n = list(key, required);
      List<Mapping> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode e = n.get(i);
        String p = at(key) + "[" + i + "]";
        if (!e.isObject()) {
          problems.add(p + ": must be a mapping, was a " + kind(e));
        } else {
          out.add(new Mapping(p, (ObjectNode) e, false));
        }
      }
      return out;
    }

    /** A list of single values, references resolved. */
    List<String> strings(String key, boolean required) {
      JsonNode n = list(key, required);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode e = n.get(i);
        String p = at(key) + "[" + i + "]";
        if (e.isContainerNode() || e.isNull()) {
          problems.add(p + ": must be a single value, was a " + kind(e));
          continue;
        }
        String v = substitution.resolve(e.asText(), text -> problems.add(p + ": " + text));
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    }

    /** A list of topic subscriptions, each compiled; a broken one is reported with the compiler's words. */
    List<String> subscriptions(String key, boolean required) {
      List<String> raw = strings(key, required);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        try {
          TopicSubscription.compile(raw.get(i));
          out.add(raw.get(i));
        } catch (IllegalArgumentException e) {
          problems.add(at(key) + "[" + i + "]: " + e.getMessage());
        }
      }
      return out;
    }

    /** A command line: a list, or one string split on spaces (no quoting: use the list for that). */
    List<String> command(String key) {
      JsonNode n = raw(key, false);
      if (n == null) {
        return List.of();
      }
      if (n.isArray()) {
        return strings(key, false);
      }
      String s = scalar(key, false);
      if (s == null || s.isBlank()) {
        return List.of();
      }
      return List.of(s.trim().split("\\s+"));
    }

    /** A mapping of single values (environment variables). */
    Map<String, String> stringMap(String key) {
      JsonNode n = raw(key, false);
      Map<String, String> out = new LinkedHashMap<>();
      if (n == null) {
        return out;
      }
      if (!n.isObject()) {
        problem(key, "must be a mapping, was a " + kind(n));
        return out;
      }
      Mapping m = new Mapping(at(key), (ObjectNode) n, false);
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        String v = m.scalar(k, false);
        if (v != null) {
          out.put(k, v);
        }
      }
      return out;
    }

    /** Do not report unknown keys here: the mapping was not understood (a bad {@code type}). */
    void ignoreRest() {
      ignored = true;
    }

    void finish() {
      if (ignored) {
        return;
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!known.contains(k)) {
          problems.add(at(k) + ": unknown key (known here: " + String.join(", ", known) + ")");
        }
      }
    }
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isNull()) {
      return "null";
    }
    if (n.isObject()) {
      return "mapping";
    }
    if (n.isArray()) {
      return "list";
    }
    if (n.isNumber()) {
      return "number";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    return "string";
  }
}
