package dev.ldd.examples.embed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ldd.core.spi.Publication;
import dev.ldd.examples.testing.ExampleFunctions;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine embedded in a service with its own source, running the echo function as local processes. */
class EmbeddedServiceTest {
  private static String classpath() {
    return ExampleFunctions.classpath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  @Test
  void jobsRunThroughTheEchoFunctionAndCompleteOnceAccepted() throws Exception {
    Map<String, String> replies = new ConcurrentHashMap<>();
    try (EmbeddedService service = new EmbeddedService(classpath(),
        (Publication p) -> replies.put(p.topic(), new String(p.payload(), UTF_8)), 32, Duration.ofSeconds(30))) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        done.add(service.submit("job-" + i, ("hello " + i).getBytes(UTF_8), "replies/" + i));
      }

      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(replies).hasSize(200).containsEntry("replies/0", "hello 0").containsEntry("replies/199", "hello 199");
      assertThat(service.engine().status().functions().get(0).instances()).hasSizeBetween(1, 2);
    }
  }

  @Test
  void closingDrainsAndStopsTheFunctionProcesses() throws Exception {
    EmbeddedService service = new EmbeddedService(classpath(), p -> { }, 8, Duration.ofSeconds(30));
    CompletableFuture<Void> job = service.submit("last", "bye".getBytes(UTF_8), null);
    await().atMost(Duration.ofSeconds(30)).until(job::isDone);
    List<ProcessHandle> children = ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains("EchoFunction")).toList();
    assertThat(children).isNotEmpty();

    service.close();

    assertThat(job).isCompleted();
    await().atMost(Duration.ofSeconds(15)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aClasspathWithoutTheFunctionFailsTheStartWithWhatToFix() {
    assertThatThrownBy(() -> new EmbeddedService("/nonexistent.jar", p -> { }, 8, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("/nonexistent.jar");
  }
}
