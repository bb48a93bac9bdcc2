package dev.ldd.launcher.process;

import static dev.ldd.launcher.process.ProcessContainerRuntimeContractTest.javaCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.launcher.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessContainerRuntimeTest {
  @TempDir
  Path state;

  private ProcessContainerRuntime runtime() {
    return new ProcessContainerRuntime(ProcessRuntimeOptions.defaults().withStateDirectory(state));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void theProcessGetsItsPortNamesAndTheSpecsEnvironment() throws Exception {
    Path report = state.resolve("report.txt");
    FunctionSpec spec = FunctionSpec.builder("greeter", "cp").command(javaCommand(ListeningFunction.class))
        .env(Map.of("REPORT_TO", report.toString(), "GREETING", "hello")).build();
    try (ProcessContainerRuntime runtime = runtime()) {
      RuntimeInstance instance = await(runtime.start(new InstanceRequest("greeter-1", "d1", spec)));
      try {
        Await.until("the child's report", Duration.ofSeconds(30),
            () -> Files.exists(report) || instance.exit().isDone());
        assertThat(instance.exit()).isNotDone();
        assertThat(Files.readAllLines(report)).containsExactly(
            "LDD_PORT=" + instance.endpoint().port(), "LDD_FUNCTION=greeter", "LDD_INSTANCE=greeter-1",
            "LDD_DAEMON=d1", "GREETING=hello");
        assertThat(instance.endpoint().host()).isEqualTo("127.0.0.1");
        assertThat(instance.startPhases()).containsOnlyKeys("spawn", "settle");
      } finally {
        await(runtime.kill(instance.nativeId()));
      }
    }
  }

  @Test
  void aProcessThatExitsWhileStartingFailsTheStartWithItsLastOutput() throws Exception {
    FunctionSpec spec = FunctionSpec.builder("broken", "cp").command(javaCommand(FailingFunction.class)).build();
    try (ProcessContainerRuntime runtime = new ProcessContainerRuntime(ProcessRuntimeOptions.defaults()
        .withStateDirectory(state).withStartWindow(Duration.ofSeconds(20)))) {
      assertThatThrownBy(() -> await(runtime.start(new InstanceRequest("broken-1", "d1", spec))))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("function 'broken': instance 'broken-1' exited with code 3 while starting")
          .hasMessageContaining("boom: cannot read /etc/fn.conf");
      assertThat(await(runtime.listOwned("d1"))).isEmpty();
    }
  }

  @Test
  void aMissingProgramIsAPlatformFaultSayingWhatToCheck() {
    FunctionSpec spec = FunctionSpec.builder("ghost", "none").command(List.of("/nonexistent/ghost")).build();
    try (ProcessContainerRuntime runtime = runtime()) {
      assertThatThrownBy(() -> await(runtime.start(new InstanceRequest("ghost-1", "d1", spec))))
          .isInstanceOf(PlatformException.class)
          .hasMessageStartingWith("function 'ghost': cannot run /nonexistent/ghost")
          .hasMessageContaining("check the function's command");
    }
  }

  @Test
  void aLaterRuntimeFindsAndKillsTheOrphansOfAnEarlierOne() throws Exception {
    FunctionSpec spec = FunctionSpec.builder("listener", "cp").command(javaCommand(ListeningFunction.class)).build();
    RuntimeInstance orphan;
    try (ProcessContainerRuntime crashed = runtime()) {
      orphan = await(crashed.start(new InstanceRequest("listener-1", "d1", spec)));
    } // closing the runtime leaves its processes running, as a killed daemon would
    ProcessHandle process = ProcessHandle.of(Long.parseLong(orphan.nativeId())).orElseThrow();
    assertThat(process.isAlive()).isTrue();

    try (ProcessContainerRuntime next = runtime()) {
      List<OwnedInstance> owned = await(next.listOwned("d1"));
      assertThat(owned).containsExactly(new OwnedInstance(orphan.nativeId(), "listener-1", "listener", true));

      await(next.kill(orphan.nativeId()));

      assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(10));
      assertThat(await(next.listOwned("d1"))).isEmpty();
    }
  }

  @Test
  void stopKillsAProcessThatIgnoresTheRequestOnceTheGraceHasPassed() throws Exception {
    Path report = state.resolve("stubborn.txt");
    FunctionSpec spec = FunctionSpec.builder("stubborn", "cp").command(javaCommand(StubbornFunction.class))
        .env(Map.of("REPORT_TO", report.toString())).build();
    try (ProcessContainerRuntime runtime = runtime()) {
      RuntimeInstance instance = await(runtime.start(new InstanceRequest("stubborn-1", "d1", spec)));
      Await.until("the child to listen", Duration.ofSeconds(30), () -> Files.exists(report));

      await(runtime.stop(instance.nativeId(), Duration.ofMillis(300)));

      assertThat(await(instance.exit()).exitCode()).isEqualTo(137); // SIGKILL, after SIGTERM did nothing
      assertThat(ProcessHandle.of(Long.parseLong(instance.nativeId()))).isEmpty();
    }
  }

  @Test
  void withoutACommandItRunsTheImageAsARunnableJar() {
    FunctionSpec spec = FunctionSpec.builder("jarred", state.resolve("missing.jar").toString()).build();
    try (ProcessContainerRuntime runtime = new ProcessContainerRuntime(ProcessRuntimeOptions.defaults()
        .withStateDirectory(state).withStartWindow(Duration.ofSeconds(20)))) {
      assertThatThrownBy(() -> await(runtime.start(new InstanceRequest("jarred-1", "d1", spec))))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("exited with code 1 while starting")
          .hasMessageContaining("missing.jar");
    }
  }
}
