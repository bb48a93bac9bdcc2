package dev.ldd.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.launcher.admin.AdminServer;
import dev.ldd.launcher.testing.RecordingPublisher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int ldd(String... args) {
    return Cli.run(args, Map.of("ORDERS_QUEUE", "orders"), new PrintWriter(out), new PrintWriter(err));
  }

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static final String VALID = """
      daemon: { id: ldd-1 }
      source: { type: embedded, queues: [ { name: "${ORDERS_QUEUE}", subscriptions: [ "orders/>" ] } ] }
      runtime: { type: process }
      functions:
        - { name: a, command: run-a, routes: [ { queue: orders, topics: [ "orders/*/x", "orders/eu/>" ] } ] }
        - { name: b, command: run-b, routes: [ { queue: orders, topics: [ "orders/*/y" ] } ] }
      """;

  @Test
  void validateSaysOkWithCountsAndPrintsWarnings() throws Exception {
    int code = ldd("validate", "--config", file("ok.yaml", VALID).toString());

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("config OK: 2 functions, 3 routes\n");
    assertThat(err.toString()).startsWith("warning: routes: queue 'orders': routes 'orders/*/x' -> a and "
        + "'orders/*/y' -> b are equally specific");
  }

  @Test
  void validatePrintsEveryProblemAtOnceAndFails() throws Exception {
    Path bad = file("bad.yaml", VALID.replace("id: ldd-1", "id: ldd-1, colour: blue")
        .replace("command: run-b, ", "command: run-b, maxDeliveries: 0, "));

    int code = ldd("validate", "-c", bad.toString());

    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(err.toString()).contains(
        "error: daemon.colour: unknown key (known here: id, admin, drainTimeout, maxInFlight)\n",
        "error: functions[1].maxDeliveries: must be in 1..10000, was 0\n",
        bad + ": 2 problems\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void validateNamesAMissingFile() {
    assertThat(ldd("validate", "--config", dir.resolve("nope.yaml").toString())).isEqualTo(Cli.FAILED);
    assertThat(err.toString()).contains("nope.yaml: no such file");
  }

  @Test
  void runRefusesAnInvalidConfigWithItsProblems() throws Exception {
    int code = ldd("run", "--config", file("bad.yaml", VALID.replace("id: ldd-1", "id: \"\"")).toString());

    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(err.toString()).contains("error: daemon.id: must not be empty");
  }

  @Test
  void versionPrintsTheBuildVersion() {
    assertThat(ldd("version")).isZero();
    assertThat(out.toString()).startsWith("ldd 0.1.0-SNAPSHOT (Java ");
  }

  @Test
  void publishPostsToTheAdminEndpointKeepingPropertyNames() {
    RecordingPublisher publisher = new RecordingPublisher();
    AdminServer admin = AdminServer.builder().port(0).publisher(publisher).build();
    admin.startAsync().awaitRunning();
    try {
      String url = "http://127.0.0.1:" + admin.address().getPort();
      int code = ldd("publish", "--admin", url, "--topic", "orders/eu/created", "--property", "orderId=42",
          "-p", "Region=eu", "--data", "héllo");

      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).isEqualTo("published 6 bytes to orders/eu/created\n");
      assertThat(publisher.published).singleElement().satisfies(p -> {
        assertThat(p.topic()).isEqualTo("orders/eu/created");
        assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(p.properties()).isEqualTo(Map.of("orderId", "42", "Region", "eu"));
      });
    } finally {
      admin.stopAsync().awaitTerminated();
    }
  }

  @Test
  void publishExplainsWhenNoDaemonListens() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int code = ldd("publish", "--admin", "http://127.0.0.1:" + port, "--topic", "a", "--data", "x");

    assertThat(code).isEqualTo(Cli.FAILED);
    assertThat(err.toString()).contains("cannot reach the admin endpoint", "is the daemon running");
  }

  @Test
  void imageBuildAsksForAMainClassWhenTheJarNamesNone() throws Exception {
    java.nio.file.Path jar = dir.resolve("plain.jar");
    try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
      out.write('x');
    }

    int code = ldd("image", "build", "--jar", jar.toString(), "--tag", "f:1");

    assertThat(code).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("names no Main-Class in its manifest; give --main-class");
  }

  @Test
  void helpDescribesEachCommandAndItsOptions() {
    assertThat(ldd("--help")).isZero();
    assertThat(out.toString()).contains("run", "validate", "version", "publish", "image");
    out.getBuffer().setLength(0);
    assertThat(ldd("publish", "--help")).isZero();
    assertThat(out.toString()).contains("--admin", "--topic", "--property", "--file", "--data");
    out.getBuffer().setLength(0);
    assertThat(ldd("image", "build", "--help")).isZero();
    assertThat(out.toString()).contains("--jar", "--main-class", "--tag", "--classpath");
  }

  @Test
  void aMissingRequiredOptionIsAUsageError() {
    assertThat(ldd("validate")).isEqualTo(Cli.USAGE);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }
}
