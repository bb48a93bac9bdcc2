package dev.ldd.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ldd.core.Disposition;
import dev.ldd.core.EngineListener;
import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.engine.Dispatcher;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.policy.Backoff;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.Publication;
import dev.ldd.docker.image.FunctionImage;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.docker.testfn.SdkEcho;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on a real Docker engine: the embedded broker, the TCP transport and an SDK function image.
 * Shows the failure contract where only a real container can show it: a kill from outside, a missing
 * image, a clean stop that leaves nothing behind.
 */
@RequiresDocker
class DispatcherOnDockerTest {
  private static final String IMAGE = "ldd-test/sdk-echo:1";
  private static FunctionImage image;

  private final String daemonId = "engine-" + UUID.randomUUID().toString().substring(0, 8);
  private final DockerContainerRuntime runtime = DockerContainerRuntime.create(TestDocker.config());
  private final TcpFunctionTransport transport = TcpFunctionTransport.create();
  private final InMemoryBroker broker = new InMemoryBroker();
  private final List<Settled> settled = new CopyOnWriteArrayList<>();
  private Dispatcher dispatcher;

  record Settled(InboundMessage message, Disposition disposition, String reason) {}

  @BeforeAll
  static void buildTheImage() throws Exception {
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(TestDocker.config())) {
      image = builder.build(FunctionImageSpec.builder(IMAGE, TestDocker.jarOf("sdk-echo.jar", SdkEcho.class),
              SdkEcho.class.getName())
          .classpath(List.of(TestDocker.jarContaining(LddFunction.class),
              TestDocker.jarContaining(com.google.protobuf.Message.class)))
          .labels(TestDocker.TEST_LABEL)
          .build());
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (dispatcher != null && dispatcher.isRunning()) {
      dispatcher.stopAsync().awaitTerminated(60, TimeUnit.SECONDS);
    }
    transport.close();
    runtime.removeOrphans(daemonId).get(30, TimeUnit.SECONDS);
    runtime.close();
    broker.close();
  }

  private void start(FunctionSpec fn) throws Exception {
    // The function echoes 'in/x' to 'in/x/echo', which the input subscription must not match.
    broker.createQueue("orders", "in/*");
    broker.createQueue("echoes", "in/*/echo");
    dispatcher = Dispatcher.builder()
        .daemonId(daemonId)
        .source(broker.source("orders"))
        .publisher(broker)
        .runtime(runtime)
        .transport(transport)
        .function(fn)
        .route(Route.of("orders", "in/*", fn.name()))
        .startBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 3))
        .drainTimeout(Duration.ofSeconds(3))
        .listener(new EngineListener() {
          @Override
          public void settled(InboundMessage m, String function, Disposition d, String reason) {
            settled.add(new Settled(m, d, reason));
          }
        })
        .build();
    dispatcher.startAsync().awaitRunning(30, TimeUnit.SECONDS);
  }

  private FunctionSpec echo() {
    return FunctionSpec.builder("sdk-echo", image.tag())
        .concurrency(2, 0, 2)
        .startTimeout(Duration.ofSeconds(40))
        .invocationTimeout(Duration.ofSeconds(90))
        .build();
  }

  private void publish(String topic) {
    broker.publish(new Publication(topic, topic.getBytes(UTF_8), Map.of())).join();
  }

  private List<OwnedInstance> ours() throws Exception {
    return runtime.listOwned(daemonId).get(30, TimeUnit.SECONDS);
  }

  @Test
  void messagesAreProcessedInContainersAndAcceptedAfterTheirPublicationsAreConfirmed() throws Exception {
    start(echo());

    for (int i = 0; i < 20; i++) {
      publish("in/" + i);
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats("orders").accepted() == 20);
    assertThat(broker.stats("echoes").depth()).isEqualTo(20);
    assertThat(broker.stats("orders").failed()).isZero();
    assertThat(ours()).hasSizeBetween(1, 2);
  }

  @Test
  void aDockerKillFromOutsideFailsTheInFlightMessageWhichIsRedeliveredNotLost() throws Exception {
    start(echo());
    publish("in/slow");
    await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.status().functions().get(0).instances()
        .stream().anyMatch(i -> i.inFlight() == 1));
    String victim = ours().get(0).nativeId();

    TestDocker.client().killContainerCmd(victim).exec();

    await().atMost(Duration.ofSeconds(10)).until(() -> broker.stats("orders").failed() == 1);
    assertThat(settled).filteredOn(s -> s.disposition() == Disposition.FAILED).singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("sdk-echo-1"));
    // Redelivered to a new instance: in flight again, never accepted without an OK.
    await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats("orders").unsettled() == 1
        && ours().stream().anyMatch(o -> !o.nativeId().equals(victim)));
    assertThat(broker.stats("orders").accepted()).isZero();
  }

  @Test
  void aMissingImageHoldsTheMessageRetriesAndThenFailsItSayingHowToBuildTheImage() throws Exception {
    start(FunctionSpec.builder("missing", "ldd-test/no-such-function:0").build());

    publish("in/1");

    await().atMost(Duration.ofSeconds(30)).until(() -> !settled.isEmpty());
    assertThat(settled.get(0).disposition()).isEqualTo(Disposition.FAILED);
    assertThat(settled.get(0).reason()).contains("platform fault").contains("ldd-test/no-such-function:0")
        .contains("not found");
    assertThat(broker.deadMessages()).isEmpty();
    assertThat(ours()).isEmpty();
  }

  @Test
  void aCleanStopDrainsAndLeavesNoContainerBehind() throws Exception {
    start(echo().toBuilder().concurrency(2, 1, 2).build());
    dispatcher.prewarmed().get(60, TimeUnit.SECONDS);
    publish("in/1");
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.stats("orders").accepted() == 1);

    dispatcher.stopAsync().awaitTerminated(60, TimeUnit.SECONDS);

    assertThat(dispatcher.lastDrainReport()).hasValueSatisfying(r -> assertThat(r.timedOut()).isFalse());
    assertThat(ours()).isEmpty();
  }
}
