package dev.ldd.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events stream on its own: label-filtered, and robust to a sink that throws. */
@RequiresDocker
class ExitWatcherTest {
  private final String runtimeId = "watcher-" + UUID.randomUUID().toString().substring(0, 8);
  private final DockerClient docker = TestDocker.client();
  private final List<String> created = new ArrayList<>();
  private ExitWatcher watcher;

  @AfterEach
  void cleanUp() {
    if (watcher != null) {
      watcher.close();
    }
    for (String id : created) {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  private String run(String script, boolean ours) {
    Map<String, String> labels = new HashMap<>(TestDocker.TEST_LABEL);
    labels.put(Labels.RUNTIME, ours ? runtimeId : runtimeId + "-other");
    String id = docker.createContainerCmd(TestDocker.busyboxImage())
        .withCmd("sh", "-c", script)
        .withLabels(labels)
        .exec().getId();
    created.add(id);
    docker.startContainerCmd(id).exec();
    return id;
  }

  @Test
  void aSinkThatThrowsDoesNotStopTheStreamAndOnlyOurContainersAreReported() throws Exception {
    LinkedBlockingQueue<String> died = new LinkedBlockingQueue<>();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger connected = new AtomicInteger();
    watcher = new ExitWatcher(DockerClients.streaming(TestDocker.config()), Map.of(Labels.RUNTIME, runtimeId),
        Duration.ofSeconds(5), new ExitWatcher.Sink() {
          @Override
          public void died(String containerId, int exitCode) {
            died.add(containerId + ":" + exitCode);
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("a bug in the sink");
            }
          }

          @Override
          public void oomKilled(String containerId) {}

          @Override
          public void connected() {
            connected.incrementAndGet();
          }
        }, "ldd-docker-events-test");
    watcher.start();
    awaitConnected(connected);

    String first = run("exit 3", true);
    assertThat(died.poll(5, TimeUnit.SECONDS)).isEqualTo(first + ":3");
    String notOurs = run("exit 4", false);
    String second = run("exit 5", true);

    assertThat(died.poll(5, TimeUnit.SECONDS)).isEqualTo(second + ":5");
    assertThat(died.poll(300, TimeUnit.MILLISECONDS)).as("not ours: " + notOurs).isNull();
    assertThat(connected.get()).isEqualTo(1);
  }

  private static void awaitConnected(AtomicInteger connected) throws InterruptedException {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> connected.get() > 0); // the events stream connected
  }
}
