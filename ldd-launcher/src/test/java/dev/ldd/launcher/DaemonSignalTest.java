package dev.ldd.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.launcher.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldd run}'s signal handling, in a child JVM that the test signals. */
class DaemonSignalTest {
  @TempDir
  Path dir;

  private Process daemon(String behaviour, Path output) throws Exception {
    Path config = dir.resolve("ldd.yaml");
    Files.writeString(config, """
        daemon: { id: signal-test, admin: { port: 0 }, drainTimeout: 60s }
        source: { type: embedded, queues: [ { name: orders, subscriptions: [ "orders/>" ] } ] }
        runtime: { type: process }
        functions:
          - { name: enrich, command: [ unused ], routes: [ { queue: orders, topics: [ "orders/>" ] } ] }
        """);
    return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
        DaemonMain.class.getName(), config.toString(), behaviour))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.readString(file).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void sigtermDrainsAndExitsZero() throws Exception {
    Path output = dir.resolve("out.txt");
    Process p = daemon("ok", output);
    Await.until("the daemon to run", Duration.ofSeconds(30), () -> contains(output, "RUNNING") || !p.isAlive());

    p.destroy(); // SIGTERM

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(output)).isZero();
    assertThat(Files.readString(output)).contains("SIGTERM: draining", "drained in", "daemon 'signal-test' stopped");
  }

  @Test
  void aSecondSignalStopsAtOnceWithoutWaitingForTheDrain() throws Exception {
    Path output = dir.resolve("out.txt");
    Process p = daemon("hang", output);
    Await.until("the daemon to run", Duration.ofSeconds(30), () -> contains(output, "RUNNING") || !p.isAlive());

    p.destroy();
    Await.until("the drain to begin", Duration.ofSeconds(30), () -> contains(output, "draining") || !p.isAlive());
    p.destroy();

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue(); // well before the 60 s drain timeout
    assertThat(p.exitValue()).as(Files.readString(output)).isEqualTo(130);
    assertThat(Files.readString(output)).contains("SIGTERM again: stopping at once");
  }
}
