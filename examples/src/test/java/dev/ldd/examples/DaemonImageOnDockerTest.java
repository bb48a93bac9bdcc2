package dev.ldd.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.ldd.docker.Labels;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.examples.testing.ExampleDaemon;
import dev.ldd.examples.testing.ExampleFunctions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDD itself as an image, built like a function image (what scripts/daemon-image.sh does), run with the
 * Docker socket mounted: it starts its function as a sibling container, processes messages, and on
 * SIGTERM (docker stop) drains, removes that container and exits 0.
 */
@RequiresDocker
class DaemonImageOnDockerTest {
  private static final String IMAGE = "ldd-test/daemon:1";
  /** The modules scripts/daemon-image.sh adds: what jdeps cannot see in the shaded jar. */
  private static final Set<String> DAEMON_MODULES = Set.of("jdk.httpserver", "java.management", "java.naming",
      "jdk.unsupported", "java.net.http", "java.sql", "java.desktop", "jdk.crypto.ec");

  @TempDir
  Path dir;

  private final String daemonId = "e2e-image-" + UUID.randomUUID().toString().substring(0, 8);
  private final DockerClient docker = TestDocker.client();
  private final HttpClient http = HttpClient.newHttpClient();
  private String container;

  @AfterEach
  void cleanUp() {
    if (container != null) {
      docker.removeContainerCmd(container).withForce(true).exec();
    }
    docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.DAEMON, daemonId)).exec()
        .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
  }

  @Test
  void theDaemonImageStartsSiblingContainersProcessesMessagesAndDrainsOnDockerStop() throws Exception {
    ExampleFunctions.buildImages();
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(TestDocker.config())) {
      builder.build(FunctionImageSpec.builder(IMAGE, ExampleDaemon.lddJar(), "dev.ldd.launcher.Main")
          .extraModules(DAEMON_MODULES).labels(TestDocker.TEST_LABEL).build());
    }
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("ldd.yaml");
    Files.writeString(config, """
        daemon: { id: %s, admin: { bind: 127.0.0.1, port: %d }, drainTimeout: 20s }
        source: { type: embedded, queues: [ { name: in, subscriptions: [ "in/>" ] } ] }
        runtime: { type: docker }
        functions:
          - name: echo
            image: ldd-examples/echo:1
            routes: [ { queue: in, topics: [ "in/>" ] } ]
            concurrency: { perInstance: 4, maxInstances: 2 }
        """.formatted(daemonId, port));
    Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    // Host network: the daemon reaches the ports its functions publish on the host's 127.0.0.1.
    container = docker.createContainerCmd(IMAGE)
        .withCmd("run", "--config", "/etc/ldd/ldd.yaml")
        .withLabels(TestDocker.TEST_LABEL)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withBinds(
            new Bind("/var/run/docker.sock", new Volume("/var/run/docker.sock")),
            new Bind(config.toString(), new Volume("/etc/ldd/ldd.yaml"), AccessMode.ro)))
        .exec().getId();
    docker.startContainerCmd(container).exec();
    URI admin = URI.create("http://127.0.0.1:" + port);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> get(admin.resolve("/readyz")).statusCode() == 200);

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/v1/publish?topic=in/" + i))
          .POST(HttpRequest.BodyPublishers.ofString("hello " + i)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> ExampleDaemon.sample(get(admin.resolve("/metrics")).body(),
        "ldd_settlements_total", "disposition", "accepted") == 10);
    assertThat(docker.listContainersCmd().withLabelFilter(Map.of(Labels.DAEMON, daemonId)).exec())
        .as("the function runs as a sibling container").isNotEmpty();

    docker.stopContainerCmd(container).withTimeout(30).exec(); // SIGTERM, then 30 s

    var state = docker.inspectContainerCmd(container).exec().getState();
    assertThat(state.getRunning()).isFalse();
    assertThat(state.getExitCodeLong()).isZero();
    assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.DAEMON, daemonId)).exec())
        .as("no container of the daemon left behind").isEmpty();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
