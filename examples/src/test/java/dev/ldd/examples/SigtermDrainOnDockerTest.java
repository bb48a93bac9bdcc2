package dev.ldd.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.ldd.docker.Labels;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.examples.testing.ExampleDaemon;
import dev.ldd.examples.testing.ExampleFunctions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ldd run --config examples/ldd.yaml} as a user runs it (the shaded jar in a child JVM), signalled
 * with SIGTERM while a load arrives through {@code POST /v1/publish}.
 */
@RequiresDocker
class SigtermDrainOnDockerTest {
  private static final String ACCEPTED = " settled .* ACCEPTED(: .*)?$";
  private static final Pattern ADMIN = Pattern.compile("admin on (http://[0-9.]+:[0-9]+)");

  @TempDir
  Path dir;

  private final String daemonId = "e2e-sigterm-" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService load = Executors.newFixedThreadPool(4);
  private Process daemon;

  @BeforeAll
  static void buildTheImages() {
    ExampleFunctions.buildImages();
  }

  @AfterEach
  void cleanUp() throws Exception {
    load.shutdownNow();
    if (daemon != null && daemon.isAlive()) {
      daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (Container c : containersOf(daemonId)) {
      TestDocker.client().removeContainerCmd(c.getId()).withForce(true).exec();
    }
  }

  private static List<Container> containersOf(String daemonId) {
    return TestDocker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.DAEMON, daemonId)).exec();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void sigtermDuringALoadDrainsExitsZeroAndLeavesNoContainerBehind() throws Exception {
    Path ldd = ExampleDaemon.lddJar();
    Path output = dir.resolve("ldd-run.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", ldd.toString(), "run", "--config", ExampleDaemon.examplesDir().resolve("ldd.yaml").toString())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("LDD_DAEMON_ID", daemonId);
    pb.environment().put("LDD_ADMIN_PORT", "0");
    pb.environment().put("LDD_LOG_LEVEL", "DEBUG"); // a line per invocation and per settlement, to count
    daemon = pb.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> ADMIN.matcher(read(output)).find() || !daemon.isAlive());
    Matcher admin = ADMIN.matcher(read(output));
    assertThat(admin.find()).as(read(output)).isTrue();
    URI base = URI.create(admin.group(1));

    AtomicInteger published = new AtomicInteger();
    AtomicBoolean stopLoad = new AtomicBoolean();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      load.execute(() -> {
        for (int i = 0; !stopLoad.get() && i < 500; i++) {
          HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/publish?topic=echo/load/" + thread + "/" + i))
              .POST(HttpRequest.BodyPublishers.ofString("load " + i)).build();
          try {
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
              published.incrementAndGet();
            }
          } catch (IOException e) {
            return; // the admin endpoint closed: the daemon has stopped
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
    }
    // Signal while messages arrive, once the first is accepted: the backlog of the cold start is then
    // partly in flight, partly still held.
    await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= 100 && count(read(output), ACCEPTED) > 0);

    daemon.destroy(); // SIGTERM

    assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
    stopLoad.set(true);
    String log = read(output);
    assertThat(daemon.exitValue()).as(log).isZero();
    assertThat(log).contains("SIGTERM: draining", "drained in", "daemon '" + daemonId + "' stopped");
    assertThat(log).doesNotContain("drain timeout passed");
    int ok = count(log, "invocation \\S+ of 'echo' on \\S+ ended OK");
    int accepted = count(log, ACCEPTED);
    assertThat(ok).as("invocations that returned OK").isPositive();
    assertThat(accepted).as("accepted messages: exactly those whose invocation returned OK").isEqualTo(ok);
    assertThat(count(log, "ended (ERROR|REJECT|TIMEOUT|LOST)")).isZero();
    assertThat(containersOf(daemonId)).as("containers labelled " + Labels.DAEMON + "=" + daemonId).isEmpty();
    Matcher report = Pattern.compile("drained in .*instances stopped").matcher(log);
    assertThat(report.find()).isTrue();
    System.out.println(published.get() + " published through POST /v1/publish; " + report.group()
        + "; " + accepted + " accepted, each after an OK");
  }
}
