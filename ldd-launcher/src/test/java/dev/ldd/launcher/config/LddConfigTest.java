package dev.ldd.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.ldd.core.ConfigException;
import dev.ldd.core.NoRoutePolicy;
import dev.ldd.core.model.Concurrency;
import dev.ldd.core.model.DeadLetterPolicy;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.PublishMode;
import dev.ldd.core.model.Resources;
import dev.ldd.core.routing.Route;
import dev.ldd.launcher.adapters.DockerAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LddConfigTest {
  private static final String DAEMON = "daemon: { id: ldd-1 }\n";
  private static final String EMBEDDED = """
      source:
        type: embedded
        queues:
          - { name: orders, subscriptions: [ "orders/>" ] }
          - { name: audit, subscriptions: [ "audit/>" ] }
      """;
  private static final String PROCESS = "runtime: { type: process }\n";
  private static final String DOCKER = "runtime: { type: docker }\n";

  private static String functions(String... entries) {
    StringBuilder b = new StringBuilder("functions:\n");
    for (String e : entries) {
      b.append("  - ").append(e).append('\n');
    }
    return b.toString();
  }

  private static final String ENRICH =
      "{ name: enrich, command: [ run ], routes: [ { queue: orders, topics: [ \"orders/*/created\" ] } ] }";
  private static final String AUDIT =
      "{ name: audit, command: [ run ], routes: [ { queue: audit, topics: [ \"audit/>\" ] } ] }";

  /** A valid configuration with the process runtime, changed by one function entry. */
  private static String withFunction(String function) {
    return DAEMON + EMBEDDED + PROCESS + functions(function, AUDIT);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        arguments("unknown top-level key", DAEMON + EMBEDDED + PROCESS + functions(ENRICH, AUDIT) + "extra: 1\n",
            "extra: unknown key (known here: daemon, source, runtime, noRoute, functions)"),
        arguments("misspelt nested key", "daemon: { id: ldd-1, admin: { prot: 80 } }\n" + EMBEDDED + PROCESS
            + functions(ENRICH, AUDIT), "daemon.admin.prot: unknown key (known here: bind, port)"),
        arguments("missing daemon id", "daemon: { drainTimeout: 5s }\n" + EMBEDDED + PROCESS + functions(ENRICH, AUDIT),
            "daemon.id: is required"),
        arguments("missing section", DAEMON + PROCESS + functions(ENRICH, AUDIT), "source: is required"),
        arguments("unknown source type", DAEMON + "source: { type: kafka }\n" + PROCESS + functions(AUDIT),
            "source.type: must be one of embedded, solace, was 'kafka'"),
        arguments("bad duration", "daemon: { id: ldd-1, drainTimeout: 30 }\n" + EMBEDDED + PROCESS
            + functions(ENRICH, AUDIT), "daemon.drainTimeout: must be a duration such as 250ms, 30s, 5m or 1h, was '30'"),
        arguments("port out of range", "daemon: { id: ldd-1, admin: { port: 70000 } }\n" + EMBEDDED + PROCESS
            + functions(ENRICH, AUDIT), "daemon.admin.port: must be in 0..65535, was 70000"),
        arguments("not a number", withFunction(ENRICH.replace("command", "maxDeliveries: many, command")),
            "functions[0].maxDeliveries: must be a whole number, was 'many'"),
        arguments("maxInstances below minInstances",
            DAEMON + EMBEDDED + PROCESS + functions(ENRICH, AUDIT, "{ name: x, command: [ run ], "
                + "routes: [ { queue: orders, topics: [ a/b ] } ], concurrency: { minInstances: 3, maxInstances: 1 } }"),
            "functions[2].concurrency.maxInstances: must be >= minInstances (3), was 1"),
        arguments("duplicate function name", withFunction(AUDIT),
            "functions[1].name: duplicate function 'audit' (also functions[0])"),
        arguments("route to unknown queue", withFunction(ENRICH.replace("queue: orders", "queue: ordres")),
            "functions[0].routes[0].queue: unknown queue 'ordres'; the embedded source declares [orders, audit]"),
        arguments("route topic that does not compile", withFunction(ENRICH.replace("orders/*/created", "orders//x")),
            "functions[0].routes[0].topics[0]: "),
        arguments("route without topics", withFunction(ENRICH.replace("topics: [ \"orders/*/created\" ]", "topics: []")),
            "functions[0].routes[0].topics: must not be empty"),
        arguments("bad function name", withFunction(ENRICH.replace("name: enrich", "name: \"en rich\"")),
            "functions[0].name: must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, was 'en rich'"),
        arguments("unknown publish mode", withFunction(ENRICH.replace("command", "publishMode: later, command")),
            "functions[0].publishMode: must be one of buffered, immediate, was 'later'"),
        arguments("bad memory size", withFunction(ENRICH.replace("command", "resources: { memory: lots }, command")),
            "functions[0].resources.memory: must be a size such as 256m, 1g or 512k, was 'lots'"),
        arguments("zero cpus", withFunction(ENRICH.replace("command", "resources: { cpus: 0 }, command")),
            "functions[0].resources.cpus: must be > 0, was 0"),
        arguments("docker function without image", DAEMON + EMBEDDED + DOCKER
            + functions("{ name: enrich, routes: [ { queue: orders, topics: [ a ] } ] }", AUDIT.replace("command: [ run ]", "image: a:1")),
            "functions[0].image: is required with the docker runtime"),
        arguments("jar with the docker runtime", DAEMON + EMBEDDED + DOCKER
            + functions("{ name: enrich, image: e:1, jar: f.jar, routes: [ { queue: orders, topics: [ a ] } ] }",
                AUDIT.replace("command: [ run ]", "image: a:1")),
            "functions[0].jar: applies to the process runtime only; build an image from the jar with 'ldd image build'"),
        arguments("process function with nothing to run", withFunction(ENRICH.replace("command: [ run ], ", "")),
            "functions[0]: needs a command or a jar with the process runtime"),
        arguments("unset environment variable", withFunction(ENRICH.replace("command", "image: \"${IMAGE}\", command")),
            "functions[0].image: environment variable IMAGE is not set (give it a value, or write ${IMAGE:-default})"),
        arguments("daemon-owned env variable", withFunction(ENRICH.replace("command", "env: { LDD_PORT: 1 }, command")),
            "functions[0].env.LDD_PORT: LDD_* variables are set by the daemon"),
        arguments("dead-letter topic with the accept policy", DAEMON + EMBEDDED + PROCESS
            + "noRoute: { policy: accept, deadLetterTopic: dlq }\n" + functions(ENRICH, AUDIT),
            "noRoute.deadLetterTopic: applies only to policy deadLetter, and the policy is accept"),
        arguments("duplicate queue", DAEMON + "source: { type: embedded, queues: [ { name: q }, { name: q } ] }\n"
            + PROCESS + functions("{ name: f, command: [ run ], routes: [ { queue: q, topics: [ a ] } ] }"),
            "source.queues[1].name: duplicate queue 'q' (also source.queues[0].name)"),
        arguments("list where a mapping belongs", withFunction(ENRICH.replace("command", "concurrency: [ 1 ], command")),
            "functions[0].concurrency: must be a mapping, was a list"),
        arguments("solace window out of range", DAEMON + """
            source:
              type: solace
              sessions:
                - { name: s, hosts: [ "tcp://b:55555" ], vpn: v, username: u, queues: [ { name: orders, window: 256 } ] }
            """ + PROCESS + functions(ENRICH), "source.sessions[0].queues[0].window: must be in 1..255, was 256"),
        arguments("duplicate YAML key", DAEMON + "daemon: { id: again }\n" + EMBEDDED + PROCESS + functions(ENRICH),
            "not valid YAML: line 2"),
        arguments("unterminated variable reference", withFunction(ENRICH.replace("command", "image: \"${IMAGE\", command")),
            "functions[0].image: unterminated ${ in a value: close it with }"),
        arguments("malformed variable reference", withFunction(ENRICH.replace("command", "image: \"${1X}\", command")),
            "functions[0].image: '${1X}' is not a variable reference: use ${NAME} or ${NAME:-default}"),
        arguments("no functions", DAEMON + EMBEDDED + PROCESS + "functions: []\n", "functions: must not be empty"),
        arguments("zero timeout", withFunction(ENRICH.replace("command", "invocationTimeout: 0s, command")),
            "functions[0].invocationTimeout: must be longer than 0"),
        arguments("solace session without credentials", DAEMON + """
            source:
              type: solace
              sessions: [ { vpn: v, hosts: [ "tcp://b:55555" ], queues: [ { name: orders } ] } ]
            """ + PROCESS + functions(ENRICH), "source.sessions[0].username: is required unless clientCertificate is set"),
        arguments("publisher on an unknown session", DAEMON + """
            source:
              type: solace
              sessions: [ { vpn: v, username: u, hosts: [ "tcp://b:55555" ], queues: [ { name: orders } ] } ]
              publisher: { session: w }
            """ + PROCESS + functions(ENRICH), "source.publisher.session: unknown session 'w'; the sessions are [v]"),
        arguments("not a boolean", withFunction(ENRICH.replace("command", "killOnError: sometimes, command")),
            "functions[0].killOnError: must be true or false, was 'sometimes'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsReportedWithItsPathAndWhatIsWrong(String kind, String yaml, String expected) {
    assertThatThrownBy(() -> LddConfig.parse(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .anySatisfy(p -> assertThat(p).startsWith(expected)));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml = """
        daemon: { admin: { port: -1 } }
        source: { type: embedded, queues: [ { name: orders } ] }
        runtime: { type: process, colour: blue }
        functions:
          - { name: a, command: x, routes: [ { queue: nowhere, topics: [ a ] } ], maxDeliveries: 0 }
        """;
    assertThatThrownBy(() -> LddConfig.parse(yaml, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "daemon.id: is required",
            "daemon.admin.port: must be in 0..65535, was -1",
            "runtime.colour: unknown key (known here: type, java, workDir, stopGrace)",
            "functions[0].maxDeliveries: must be in 1..10000, was 0",
            "functions[0].routes[0].queue: unknown queue 'nowhere'; the embedded source declares [orders]"));
  }

  @Test
  void aValidConfigurationBindsToTheRecordsAndTheEngineModel() {
    String yaml = """
        daemon:
          id: ldd-1
          admin: { bind: 0.0.0.0, port: 0 }
          drainTimeout: 1m30s
          maxInFlight: 64
        source:
          type: embedded
          queues:
            - name: orders
              subscriptions: [ "orders/>" ]
              maxRedeliveries: 3
        runtime: { type: process, java: /opt/java/bin/java, workDir: /tmp, stopGrace: 250ms }
        noRoute: { policy: deadLetter, deadLetterTopic: dlq/unrouted }
        functions:
          - name: enrich
            jar: /opt/fn/enrich.jar
            mainClass: com.example.Enrich
            env: { REGION: eu }
            routes: [ { queue: orders, topics: [ "orders/*/created", "orders/eu/>" ] } ]
            concurrency: { perInstance: 4, maxInstances: 8, minInstances: 1 }
            idleTimeout: 5m
            invocationTimeout: 30s
            startTimeout: 10s
            maxDeliveries: 5
            killOnError: false
            deadLetter: { topic: dlq/enrich }
            publishMode: immediate
            resources: { memory: 256m, cpus: 0.5, pids: 100 }
          - name: ship
            command: ./ship --fast
            routes: [ { queue: orders, topics: [ orders/us/shipped ] } ]
        """;

    LddConfig config = LddConfig.parse(yaml, Map.of());

    assertThat(config.daemon()).isEqualTo(new DaemonConfig("ldd-1", new AdminConfig("0.0.0.0", 0),
        Duration.ofSeconds(90), 64));
    assertThat(config.source()).isEqualTo(new SourceConfig.Embedded(
        List.of(new SourceConfig.EmbeddedQueue("orders", List.of("orders/>"), 3))));
    assertThat(config.runtime()).isEqualTo(new RuntimeConfig.Process(Path.of("/opt/java/bin/java"),
        Optional.of(Path.of("/tmp")), Duration.ofMillis(250)));
    assertThat(config.noRoute().policy()).isEqualTo(NoRoutePolicy.DEAD_LETTER);
    assertThat(config.noRoute().deadLetter()).isEqualTo(DeadLetterPolicy.toTopic("dlq/unrouted"));
    assertThat(config.warnings()).isEmpty();

    FunctionSpec enrich = FunctionSpec.builder("enrich", "/opt/fn/enrich.jar")
        .command(List.of("/opt/java/bin/java", "-cp", "/opt/fn/enrich.jar", "com.example.Enrich"))
        .env(Map.of("REGION", "eu"))
        .concurrency(new Concurrency(4, 1, 8))
        .idleTimeout(Duration.ofMinutes(5))
        .invocationTimeout(Duration.ofSeconds(30))
        .startTimeout(Duration.ofSeconds(10))
        .maxDeliveries(5)
        .killOnError(false)
        .deadLetter(DeadLetterPolicy.toTopic("dlq/enrich"))
        .publishMode(PublishMode.IMMEDIATE)
        .resources(new Resources(256L << 20, 500_000_000L, 100))
        .build();
    FunctionSpec ship = FunctionSpec.builder("ship", "./ship").command(List.of("./ship", "--fast")).build();
    assertThat(config.functionSpecs()).containsExactly(enrich, ship);
    assertThat(config.routes()).containsExactly(
        Route.of("orders", "orders/*/created", "enrich"),
        Route.of("orders", "orders/eu/>", "enrich"),
        Route.of("orders", "orders/us/shipped", "ship"));
  }

  @Test
  void aSolaceSourceBindsEverySessionQueueAndThePublisherWithLddSolacesDefaults() {
    String yaml = """
        daemon: { id: ldd-1 }
        source:
          type: solace
          sessions:
            - name: vpn-a
              hosts: [ "tcps://broker-1:55443", "tcps://broker-2:55443" ]
              vpn: orders
              username: ldd
              password: ${SOLACE_PASSWORD}
              clientName: ldd-1-a
              tls: { trustStore: /etc/ldd/trust.p12, trustStorePassword: "${TRUST_PASSWORD:-changeit}", trustStoreFormat: pkcs12 }
              retries: { reconnect: -1, reconnectWait: 5s }
              queues:
                - { name: orders, window: 50, settlement: rebind, activeFlowIndication: false,
                    provision: { exclusive: true, subscriptions: [ "orders/>" ], maxRedelivery: 3 } }
            - vpn: audit
              hosts: [ "tcp://broker-3:55555" ]
              clientCertificate: { keyStore: /etc/ldd/client.p12, keyStorePassword: "${KEY_PASSWORD:-k3y}" }
              queues: [ { name: audit } ]
          rebindBackoff: { max: 10s }
          publisher: { session: vpn-a }
        runtime: { type: docker, network: ldd-net, endpoint: container, readOnlyRootfs: true, user: "1000:1000",
          maxParallelStarts: 2 }
        functions:
          - { name: enrich, image: "ldd-examples/enrich:1", routes: [ { queue: orders, topics: [ "orders/>" ] },
              { queue: audit, topics: [ ">" ] } ] }
        """;

    LddConfig config = LddConfig.parse(yaml, Map.of("SOLACE_PASSWORD", "hunter2"));

    SourceConfig.Solace solace = (SourceConfig.Solace) config.source();
    SourceConfig.SolaceSession a = solace.sessions().get(0);
    assertThat(a.hosts()).containsExactly("tcps://broker-1:55443", "tcps://broker-2:55443");
    assertThat(a.password()).map(Secret::reveal).contains("hunter2");
    assertThat(a.tls()).contains(new SourceConfig.Tls(Optional.of("/etc/ldd/trust.p12"),
        Optional.of(Secret.of("changeit")), Optional.of("pkcs12"), true, true));
    assertThat(a.retries()).isEqualTo(new SourceConfig.Retries(5, 1, -1, Duration.ofSeconds(5)));
    assertThat(a.publishWindow()).isEqualTo(100);
    assertThat(a.queues()).containsExactly(new SourceConfig.SolaceQueue("orders", 50, false,
        SourceConfig.SettlementMode.REBIND, Optional.of(new SourceConfig.Provision(true, List.of("orders/>"), 3))));
    SourceConfig.SolaceSession b = solace.sessions().get(1);
    assertThat(b.name()).isEqualTo("audit");
    assertThat(b.username()).isEmpty();
    assertThat(b.clientCertificate()).get().satisfies(c -> assertThat(c.keyStorePassword()).contains(Secret.of("k3y")));
    assertThat(b.queues()).containsExactly(new SourceConfig.SolaceQueue("audit", 64, true,
        SourceConfig.SettlementMode.SETTLE, Optional.empty()));
    assertThat(solace.rebuildBackoff()).isEqualTo(SourceConfig.Solace.DEFAULT_REBUILD);
    assertThat(solace.rebindBackoff()).isEqualTo(new SourceConfig.Backoff(Duration.ofSeconds(1),
        Duration.ofSeconds(10), 2.0));
    assertThat(solace.publisher()).isEqualTo(new SourceConfig.SolacePublisher(Optional.of("vpn-a"),
        SourceConfig.PublishDelivery.PERSISTENT));
    assertThat(config.runtime()).isEqualTo(new RuntimeConfig.Docker(RuntimeConfig.Docker.DEFAULT_HOST, "ldd-net",
        "127.0.0.1", true, true, true, true, Optional.of("1000:1000"), 256, 2, RuntimeConfig.DEFAULT_STOP_GRACE,
        Map.of()));
    assertThat(DockerAdapter.toDockerConfig((RuntimeConfig.Docker) config.runtime()).containerAddress()).isTrue();
    assertThat(config.functionSpecs()).singleElement()
        .satisfies(f -> assertThat(f.image()).isEqualTo("ldd-examples/enrich:1"));

    assertThat(config.toString()).doesNotContain("hunter2", "changeit", "k3y").contains(Secret.MASK);
  }

  @Test
  void theDockerHostDefaultsToDockerHostFromTheEnvironment() {
    String yaml = DAEMON + EMBEDDED + DOCKER + functions(
        "{ name: a, image: a:1, routes: [ { queue: orders, topics: [ a ] }, { queue: audit, topics: [ a ] } ] }");

    LddConfig config = LddConfig.parse(yaml, Map.of("DOCKER_HOST", "tcp://docker:2375"));

    assertThat(((RuntimeConfig.Docker) config.runtime()).host()).isEqualTo("tcp://docker:2375");
  }

  @Test
  void substitutionResolvesVariablesDefaultsAndEscapes() {
    String yaml = DAEMON.replace("ldd-1", "\"${DAEMON_ID}\"") + EMBEDDED + PROCESS + """
        functions:
          - name: enrich
            command: [ "${FN_HOME:-/opt/fn}/run", "--literal=$${NOT_A_VAR}" ]
            port: ${FN_PORT:-9000}
            env: { REGION: "${REGION:-eu}", URL: "http://${HOST}:${PORT}/x" }
            routes: [ { queue: orders, topics: [ "orders/>" ] }, { queue: audit, topics: [ "audit/>" ] } ]
        """;

    LddConfig config = LddConfig.parse(yaml, Map.of("DAEMON_ID", "ldd-7", "REGION", "", "HOST", "h", "PORT", "1"));

    assertThat(config.daemon().id()).isEqualTo("ldd-7");
    FunctionSpec spec = config.functionSpecs().get(0);
    assertThat(spec.command()).containsExactly("/opt/fn/run", "--literal=${NOT_A_VAR}");
    assertThat(spec.port()).isEqualTo(9000);
    assertThat(spec.env()).containsEntry("REGION", "eu").containsEntry("URL", "http://h:1/x");
  }

  @Test
  void secretsAreMaskedInToStringAndInErrors() {
    String yaml = DAEMON + EMBEDDED + PROCESS + """
        functions:
          - name: enrich
            command: [ run ]
            env: { DB_PASSWORD: "${DB_PASSWORD}", apiToken: tok-123, CLIENT_SECRET: s3cr3t, REGION: eu }
            routes: [ { queue: orders, topics: [ "orders/>" ] }, { queue: audit, topics: [ "audit/>" ] } ]
        """;

    LddConfig config = LddConfig.parse(yaml, Map.of("DB_PASSWORD", "pa55"));

    assertThat(config.functions().get(0).env()).containsEntry("DB_PASSWORD", "pa55");
    assertThat(config.toString()).doesNotContain("pa55", "tok-123", "s3cr3t").contains("REGION=eu")
        .contains("DB_PASSWORD=***");
    assertThat(Secret.of("x")).hasToString("***");

    String badSecret = yaml.replace("name: enrich", "name: enrich\n    port: \"${DB_PASSWORD}\"")
        .replace("port:", "passwordPort:");
    assertThatThrownBy(() -> LddConfig.parse(badSecret, Map.of("DB_PASSWORD", "pa55")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).doesNotContain("pa55"));
  }

  @Test
  void equallySpecificRoutesAndUnusedQueuesAreWarningsNotErrors() {
    String yaml = DAEMON + EMBEDDED + PROCESS + functions(
        "{ name: a, command: [ run ], routes: [ { queue: orders, topics: [ \"orders/*/x\" ] } ] }",
        "{ name: b, command: [ run ], routes: [ { queue: orders, topics: [ \"orders/*/y\" ] } ] }");

    LddConfig config = LddConfig.parse(yaml, Map.of());

    assertThat(config.warnings()).anySatisfy(w -> assertThat(w).startsWith("routes: queue 'orders': routes "
        + "'orders/*/x' -> a and 'orders/*/y' -> b are equally specific"));
    assertThat(config.warnings()).contains(
        "source: no function routes from queue 'audit'; its messages follow the noRoute policy");
  }

  @Test
  void aConcurrencyThatLeavesTooLittleOfTheDockerPidsLimitIsAWarningNamingBothSettings() {
    String route = "routes: [ { queue: orders, topics: [ \"orders/>\" ] }, { queue: audit, topics: [ \"audit/>\" ] } ]";
    String yaml = DAEMON + EMBEDDED + DOCKER + functions(
        "{ name: wide, image: \"wide:1\", concurrency: { perInstance: 256 }, " + route + " }",
        "{ name: raised, image: \"raised:1\", concurrency: { perInstance: 256 }, resources: { pids: 200 }, "
            + route + " }",
        "{ name: roomy, image: \"roomy:1\", concurrency: { perInstance: 256 }, resources: { pids: 1024 }, "
            + route + " }",
        "{ name: usual, image: \"usual:1\", " + route + " }");

    LddConfig config = LddConfig.parse(yaml, Map.of());

    assertThat(config.warnings()).filteredOn(w -> w.contains("pids limit")).satisfiesExactly(
        w -> assertThat(w).startsWith("functions[0].concurrency.perInstance: 256 concurrent invocations leave too "
            + "little of the pids limit of 256 (runtime.defaultPidsLimit)").contains("at least 288"),
        w -> assertThat(w).startsWith("functions[1].concurrency.perInstance: 256 concurrent invocations leave too "
            + "little of the pids limit of 200 (functions[1].resources.pids)"));
    // The process runtime has no pids limit.
    assertThat(LddConfig.parse(DAEMON + EMBEDDED + PROCESS + functions(
        "{ name: wide, command: [ run ], concurrency: { perInstance: 256 }, " + route + " }"), Map.of()).warnings())
        .noneMatch(w -> w.contains("pids"));
  }

  @Test
  void sizesAndDurationsUnderstandTheUsualUnits() {
    assertThat(Units.parseSize("256m")).isEqualTo(256L << 20);
    assertThat(Units.parseSize("1g")).isEqualTo(1L << 30);
    assertThat(Units.parseSize("512Ki")).isEqualTo(512L << 10);
    assertThat(Units.parseSize("1.5g")).isEqualTo(3L << 29);
    assertThat(Units.parseSize("1024")).isEqualTo(1024);
    assertThat(Units.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Units.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> Units.parseDuration("5 minutes")).hasMessageContaining("was '5 minutes'");
    assertThat(Units.parseNanoCpus("0.5")).isEqualTo(500_000_000L);
  }
}
