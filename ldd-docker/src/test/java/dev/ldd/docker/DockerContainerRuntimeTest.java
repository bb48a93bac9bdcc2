package dev.ldd.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.Resources;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Docker runtime does beyond the SPI contract, against the real engine. */
@RequiresDocker
class DockerContainerRuntimeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String daemonId = "dockertest-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<DockerContainerRuntime> runtimes = new ArrayList<>();
  private DockerContainerRuntime runtime;
  private int sequence;

  @BeforeEach
  void createRuntime() {
    TestDocker.byteServerImage();
    runtime = newRuntime(TestDocker.config());
  }

  @AfterEach
  void removeWhatTheTestMade() throws Exception {
    runtimes.forEach(DockerContainerRuntime::close);
    try (DockerContainerRuntime cleaner = DockerContainerRuntime.create(TestDocker.config())) {
      await(cleaner.removeOrphans(daemonId));
    }
  }

  private DockerContainerRuntime newRuntime(DockerRuntimeConfig config) {
    DockerContainerRuntime r = DockerContainerRuntime.create(config);
    runtimes.add(r);
    return r;
  }

  private static FunctionSpec byteServer() {
    return FunctionSpec.builder("byte-server", TestDocker.BYTE_SERVER_IMAGE).port(8080).build();
  }

  private RuntimeInstance start(DockerContainerRuntime r, FunctionSpec fn) throws Exception {
    return await(r.start(new InstanceRequest(fn.name() + "-" + (++sequence), daemonId, fn)));
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static InspectContainerResponse inspect(RuntimeInstance instance) {
    return TestDocker.client().inspectContainerCmd(instance.nativeId()).exec();
  }

  @Test
  void theFunctionAnswersOnAnEphemeralPortPublishedOnLoopbackOnly() throws Exception {
    RuntimeInstance instance = start(runtime, byteServer());

    TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));

    assertThat(instance.endpoint().host()).isEqualTo("127.0.0.1");
    assertThat(instance.startPhases()).containsOnlyKeys("create", "start", "inspect");
    assertThat(List.copyOf(instance.startPhases().keySet())).containsExactly("create", "start", "inspect");
    InspectContainerResponse inspect = inspect(instance);
    Ports.Binding[] requested = inspect.getHostConfig().getPortBindings().getBindings().get(ExposedPort.tcp(8080));
    assertThat(requested).singleElement().satisfies(b -> {
      assertThat(b.getHostIp()).isEqualTo("127.0.0.1");
      assertThat(b.getHostPortSpec()).isNullOrEmpty();
    });
    Ports.Binding[] actual = inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(8080));
    assertThat(actual).allSatisfy(b -> assertThat(b.getHostIp()).isEqualTo("127.0.0.1"));
    assertThat(actual).extracting(Ports.Binding::getHostPortSpec)
        .contains(Integer.toString(instance.endpoint().port()));
  }

  @Test
  void containersCarryLddLabelsTheirNameAndTheEnvironmentTheWrapperNeeds() throws Exception {
    FunctionSpec fn = byteServer().toBuilder().env(Map.of("GREETING", "hello", "LDD_PORT", "1")).build();
    RuntimeInstance instance = start(runtime, fn);

    InspectContainerResponse inspect = inspect(instance);
    assertThat(inspect.getName()).isEqualTo("/ldd-" + daemonId + "-" + instance.instanceId());
    assertThat(inspect.getConfig().getLabels())
        .containsEntry(Labels.DAEMON, daemonId)
        .containsEntry(Labels.FUNCTION, "byte-server")
        .containsEntry(Labels.INSTANCE, instance.instanceId())
        .containsKey(Labels.RUNTIME)
        .containsAllEntriesOf(TestDocker.TEST_LABEL);
    assertThat(inspect.getConfig().getEnv()).contains("GREETING=hello", "LDD_PORT=8080",
        "LDD_FUNCTION=byte-server", "LDD_INSTANCE=" + instance.instanceId());
    assertThat(inspect.getHostConfig().getAutoRemove()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void limitsAndHardeningAreVisibleInInspect() throws Exception {
    DockerContainerRuntime hardened = newRuntime(TestDocker.config().toBuilder()
        .readOnlyRootfs(true)
        .user("65534:65534")
        .build());
    FunctionSpec fn = byteServer().toBuilder()
        .resources(new Resources(256L * 1024 * 1024, 500_000_000L, 64))
        .build();

    RuntimeInstance limited = start(hardened, fn);
    RuntimeInstance byDefault = start(runtime, byteServer());

    TestDocker.awaitGreeting(limited.endpoint(), Duration.ofSeconds(20));
    HostConfig host = inspect(limited).getHostConfig();
    assertThat(host.getMemory()).isEqualTo(256L * 1024 * 1024);
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(host.getPidsLimit()).isEqualTo(64L);
    assertThat(host.getCapDrop()).contains(Capability.ALL);
    assertThat(host.getSecurityOpts()).contains("no-new-privileges");
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(inspect(limited).getConfig().getUser()).isEqualTo("65534:65534");

    HostConfig defaults = inspect(byDefault).getHostConfig();
    assertThat(defaults.getPidsLimit()).isEqualTo(256L);
    assertThat(defaults.getCapDrop()).contains(Capability.ALL);
    assertThat(defaults.getSecurityOpts()).contains("no-new-privileges");
    assertThat(defaults.getReadonlyRootfs()).isNotEqualTo(Boolean.TRUE);
    assertThat(defaults.getMemory()).isIn(null, 0L);
  }

  @Test
  void aDockerKillFromOutsideIsNoticedWithinASecond() throws Exception {
    RuntimeInstance instance = start(runtime, byteServer());
    TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));

    long killedAt = System.nanoTime();
    TestDocker.client().killContainerCmd(instance.nativeId()).exec();
    InstanceExit exit = instance.exit().get(5, TimeUnit.SECONDS);
    Duration noticed = Duration.ofNanos(System.nanoTime() - killedAt);

    assertThat(noticed).isLessThan(Duration.ofSeconds(1));
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(exit.reason()).contains("killed");
    awaitGone(instance);
  }

  @Test
  void anExitOfItsOwnIsReportedWithItsCodeAndTheContainerRemoved() throws Exception {
    FunctionSpec fn = FunctionSpec.builder("short-lived", TestDocker.busyboxImage())
        .command(List.of("sh", "-c", "sleep 0.5; exit 7"))
        .build();
    RuntimeInstance instance = start(runtime, fn);

    InstanceExit exit = await(instance.exit());

    assertThat(exit).isEqualTo(new InstanceExit(7, "exited with code 7"));
    awaitGone(instance);
  }

  @Test
  void aFunctionOverItsMemoryLimitIsReportedAsOomKilled() throws Exception {
    FunctionSpec fn = FunctionSpec.builder("memory-hog", TestDocker.busyboxImage())
        .command(List.of("sh", "-c", "sleep 0.3; a=aaaaaaaaaa; while true; do a=$a$a; done"))
        .resources(new Resources(16L * 1024 * 1024, 0, 0))
        .build();
    RuntimeInstance instance = start(runtime, fn);

    InstanceExit exit = await(instance.exit());

    assertThat(exit).isEqualTo(new InstanceExit(137, "oom-killed"));
    awaitGone(instance);
  }

  @Test
  void stopLetsTheFunctionExitOnSigtermWithinTheGrace() throws Exception {
    RuntimeInstance instance = start(runtime, byteServer());
    TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));

    long t0 = System.nanoTime();
    await(runtime.stop(instance.nativeId(), Duration.ofSeconds(20)));

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    InstanceExit exit = await(instance.exit());
    assertThat(exit.reason()).isEqualTo("stopped");
    assertThat(exit.exitCode()).isEqualTo(143); // the JVM's exit on SIGTERM
    assertThat(await(runtime.listOwned(daemonId))).isEmpty();
  }

  @Test
  void stopKillsAFunctionThatIgnoresSigtermOnceTheGraceIsOver() throws Exception {
    // busybox sh as PID 1 has no SIGTERM handler, so the kernel ignores the signal.
    FunctionSpec fn = FunctionSpec.builder("stubborn", TestDocker.busyboxImage())
        .command(List.of("sh", "-c", "while true; do sleep 1; done"))
        .build();
    RuntimeInstance instance = start(runtime, fn);

    long t0 = System.nanoTime();
    await(runtime.stop(instance.nativeId(), Duration.ofMillis(500)));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
    assertThat(await(instance.exit()).reason()).isEqualTo("stopped");
    assertThat(await(runtime.listOwned(daemonId))).isEmpty();
  }

  @Test
  void aDroppedEventsStreamReconnectsAndReplaysTheExitItMissed() throws Exception {
    RuntimeInstance instance = start(runtime, byteServer());
    int connections = runtime.eventsStreamConnections();

    try (AutoCloseable outage = runtime.interruptEventsStream(false)) {
      TestDocker.client().killContainerCmd(instance.nativeId()).exec();
      Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
          .until(() -> !instance.exit().isDone()); // no exit is reported while the stream is down
    }

    InstanceExit exit = instance.exit().get(3, TimeUnit.SECONDS);
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(runtime.eventsStreamConnections()).isGreaterThan(connections);
    awaitGone(instance);
  }

  @Test
  void afterAnEngineRestartReconciliationReportsTheExitThatHappenedWhileDisconnected() throws Exception {
    RuntimeInstance instance = start(runtime, byteServer());
    RuntimeInstance survivor = start(runtime, byteServer());

    // historyLost: the reconnect replays nothing, as after a real engine restart; only the listing can tell.
    try (AutoCloseable outage = runtime.interruptEventsStream(true)) {
      TestDocker.client().killContainerCmd(instance.nativeId()).exec();
      Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
          .until(() -> !instance.exit().isDone());
    }

    InstanceExit exit = instance.exit().get(3, TimeUnit.SECONDS);
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(survivor.exit()).isNotDone();
    awaitGone(instance);

    // And the reconnected stream still reports exits as they happen.
    TestDocker.client().killContainerCmd(survivor.nativeId()).exec();
    assertThat(survivor.exit().get(2, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
  }

  @Test
  void aDaemonKilledWithoutCleanupLeavesContainersTheNextRunRemoves() throws Exception {
    DockerContainerRuntime crashed = newRuntime(TestDocker.config());
    RuntimeInstance a = start(crashed, byteServer());
    RuntimeInstance b = start(crashed, byteServer());
    crashed.close(); // no stop: as if the daemon had been killed

    DockerContainerRuntime next = newRuntime(TestDocker.config());
    assertThat(await(next.listOwned(daemonId)))
        .extracting(OwnedInstance::nativeId)
        .containsExactlyInAnyOrder(a.nativeId(), b.nativeId());
    assertThat(await(next.listOwned(daemonId))).allSatisfy(o -> {
      assertThat(o.running()).isTrue();
      assertThat(o.function()).isEqualTo("byte-server");
    });

    List<OwnedInstance> removed = await(next.removeOrphans(daemonId));

    assertThat(removed).extracting(OwnedInstance::instanceId)
        .containsExactlyInAnyOrder(a.instanceId(), b.instanceId());
    assertThat(await(next.listOwned(daemonId))).isEmpty();
    assertThat(TestDocker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.DAEMON, daemonId)).exec()).isEmpty();
  }

  @Test
  void aMissingImageFailsWithAPlatformExceptionSayingHowToBuildIt() {
    FunctionSpec fn = FunctionSpec.builder("enrich", "ldd-test/no-such-image:0").build();

    assertThatThrownBy(() -> start(runtime, fn))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("function 'enrich'")
        .hasMessageContaining("image 'ldd-test/no-such-image:0' not found on the Docker engine")
        .hasMessageContaining("FunctionImageBuilder");
  }

  @Test
  void aContainerThatExitsDuringStartFailsWithItsLastLogLinesAndLeavesNothing() throws Exception {
    FunctionSpec fn = FunctionSpec.builder("misconfigured", TestDocker.busyboxImage())
        .command(List.of("sh", "-c", "echo starting; echo 'fatal: LDD_TEST_CONFIG is not set' >&2; exit 3"))
        .build();

    CompletableFuture<RuntimeInstance> started = runtime.start(new InstanceRequest("misconfigured-1", daemonId, fn));

    try {
      RuntimeInstance instance = started.get(30, TimeUnit.SECONDS);
      // Only when the engine had not yet noticed the exit at inspect (a very busy machine): then the
      // exit follows at once and carries the last log line.
      assertThat(await(instance.exit())).isEqualTo(
          new InstanceExit(3, "exited with code 3 (last log line: fatal: LDD_TEST_CONFIG is not set)"));
      awaitGone(instance);
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("function 'misconfigured'")
          .hasMessageContaining("exited during start with code 3")
          .hasMessageContaining("its last log lines:\n")
          .hasMessageContaining("\nstarting") // stdout and stderr lines of the same instant come in either order
          .hasMessageContaining("\nfatal: LDD_TEST_CONFIG is not set");
    }
    assertThat(await(runtime.listOwned(daemonId))).isEmpty();
  }

  @Test
  void aFunctionThatFailsRightAfterStartingReportsItsExitCode() throws Exception {
    FunctionSpec fn = FunctionSpec.builder("fails-late", TestDocker.BYTE_SERVER_IMAGE)
        .command(List.of("fail", "4", "fatal: bad function configuration"))
        .build();
    // The JVM takes longer to boot than a start takes: the exit is reported on the exit future.
    CompletableFuture<RuntimeInstance> started =
        runtime.start(new InstanceRequest("fails-late-1", daemonId, fn));
    try {
      RuntimeInstance instance = started.get(30, TimeUnit.SECONDS);
      assertThat(await(instance.exit())).isEqualTo(
          new InstanceExit(4, "exited with code 4 (last log line: fatal: bad function configuration)"));
      awaitGone(instance);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(PlatformException.class)
          .hasMessageContaining("fatal: bad function configuration");
    }
  }

  @Test
  void hostNetworkPassesThePortAndPublishesNothing() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    DockerContainerRuntime onHost = newRuntime(TestDocker.config().toBuilder().network(DockerRuntimeConfig.HOST).build());

    RuntimeInstance instance = start(onHost, byteServer().toBuilder().port(port).build());

    assertThat(instance.endpoint().toString()).isEqualTo("127.0.0.1:" + port);
    TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));
    InspectContainerResponse inspect = inspect(instance);
    assertThat(inspect.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(inspect.getConfig().getEnv()).contains("LDD_PORT=" + port);
  }

  @Test
  void aNamedNetworkStillPublishesThePortOnLoopback() throws Exception {
    String network = "ldd-test-net-" + UUID.randomUUID().toString().substring(0, 8);
    TestDocker.client().createNetworkCmd().withName(network).withLabels(TestDocker.TEST_LABEL).exec();
    try {
      DockerContainerRuntime onNetwork = newRuntime(TestDocker.config().toBuilder().network(network).build());
      RuntimeInstance instance = start(onNetwork, byteServer());

      TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));
      InspectContainerResponse inspect = inspect(instance);
      assertThat(inspect.getHostConfig().getNetworkMode()).isEqualTo(network);
      assertThat(inspect.getNetworkSettings().getNetworks()).containsKey(network);
      await(onNetwork.kill(instance.nativeId()));
    } finally {
      TestDocker.client().removeNetworkCmd(network).exec();
    }
  }

  @Test
  void containerAddressConnectsToTheContainersOwnAddressAndPublishesNothing() throws Exception {
    DockerContainerRuntime direct = newRuntime(TestDocker.config().toBuilder().containerAddress(true).build());

    RuntimeInstance instance = start(direct, byteServer());

    InspectContainerResponse inspect = inspect(instance);
    String address = inspect.getNetworkSettings().getNetworks().get(DockerRuntimeConfig.BRIDGE).getIpAddress();
    assertThat(instance.endpoint().toString()).isEqualTo(address + ":8080");
    assertThat(address).isNotEqualTo("127.0.0.1");
    TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(20));
    Ports requested = inspect.getHostConfig().getPortBindings();
    assertThat(requested == null ? Map.of() : requested.getBindings()).isEmpty();
    Ports actual = inspect.getNetworkSettings().getPorts();
    assertThat(actual == null ? List.of() : actual.getBindings().values())
        .allSatisfy(b -> assertThat(b).isNullOrEmpty());
  }

  @Test
  void theEngineVersionIsReported() throws Exception {
    assertThat(await(runtime.engineVersion())).isNotBlank();
  }

  @Test
  void startsBeyondTheParallelBoundWaitTheirTurnAndAllSucceed() throws Exception {
    DockerContainerRuntime narrow = newRuntime(TestDocker.config().toBuilder().maxParallelStarts(1).build());
    List<CompletableFuture<RuntimeInstance>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starts.add(narrow.start(new InstanceRequest("bounded-" + i, daemonId, byteServer())));
    }
    for (CompletableFuture<RuntimeInstance> s : starts) {
      assertThat(await(s).endpoint().port()).isPositive();
    }
    assertThat(await(narrow.listOwned(daemonId))).hasSize(3);
  }

  private void awaitGone(RuntimeInstance instance) throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> await(runtime.listOwned(daemonId)).stream()
        .noneMatch(o -> o.nativeId().equals(instance.nativeId())));
  }

}
