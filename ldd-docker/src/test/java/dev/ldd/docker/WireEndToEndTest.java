package dev.ldd.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.ResultCode;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.docker.image.FunctionImage;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.docker.testfn.SdkEcho;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path below the engine: an SDK function built into an image from its jar, the SDK jar and
 * protobuf (no ldd-core: the SDK must not need daemon code), started on the engine, reached through the
 * TCP transport, handshake and invocations answered, and the instance gone once the daemon hangs up.
 */
@RequiresDocker
class WireEndToEndTest {
  private static final String IMAGE = "ldd-test/sdk-echo:1";

  private final String daemonId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final DockerContainerRuntime runtime = DockerContainerRuntime.create(TestDocker.config());
  private final TcpFunctionTransport transport = TcpFunctionTransport.create();

  @AfterEach
  void cleanUp() throws Exception {
    transport.close();
    runtime.removeOrphans(daemonId).get(30, TimeUnit.SECONDS);
    runtime.close();
  }

  @Test
  void anSdkFunctionImageStartsShakesHandsAnswersInvocationsAndExitsWhenTheDaemonHangsUp() throws Exception {
    FunctionImage image;
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(TestDocker.config())) {
      image = builder.build(FunctionImageSpec.builder(IMAGE, TestDocker.jarOf("sdk-echo.jar", SdkEcho.class),
              SdkEcho.class.getName())
          .classpath(List.of(TestDocker.jarContaining(LddFunction.class),
              TestDocker.jarContaining(com.google.protobuf.Message.class)))
          .labels(TestDocker.TEST_LABEL)
          .build());
    }
    FunctionSpec fn = FunctionSpec.builder("sdk-echo", image.tag()).port(8080).build();

    long t0 = System.nanoTime();
    RuntimeInstance instance = runtime.start(new InstanceRequest("sdk-echo-1", daemonId, fn)).get(30, TimeUnit.SECONDS);
    LinkedBlockingQueue<Publication> published = new LinkedBlockingQueue<>();
    FunctionConnection connection = transport.connect(instance.instanceId(), instance.endpoint(),
        Duration.ofSeconds(30), (invocationId, publication) -> {
          published.add(publication);
          return CompletableFuture.completedFuture(null);
        }).get(40, TimeUnit.SECONDS);
    Duration toReady = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(connection.ready().function()).isEqualTo("sdk-echo");
    assertThat(connection.ready().maxConcurrency()).isEqualTo(2);
    assertThat(toReady).as("start to ready handshake").isLessThan(Duration.ofSeconds(20));

    InvocationResult ok = connection.invoke(invocation("inv-1", "orders/eu/created", "hello")).get(10, TimeUnit.SECONDS);
    assertThat(ok).isEqualTo(InvocationResult.ok());
    Publication echo = published.poll(5, TimeUnit.SECONDS);
    assertThat(echo).isNotNull();
    assertThat(echo.topic()).isEqualTo("orders/eu/created/echo");
    assertThat(new String(echo.payload(), UTF_8)).isEqualTo("hello");
    assertThat(echo.properties()).containsEntry("instance", "sdk-echo-1");

    InvocationResult failed = connection.invoke(invocation("inv-2", "orders/fail", "x")).get(10, TimeUnit.SECONDS);
    assertThat(failed.code()).isEqualTo(ResultCode.ERROR);
    assertThat(failed.error()).contains("asked to fail");

    // LDD owns the idle timer: closing the connection makes the wrapper exit, so its container dies.
    connection.close();
    InstanceExit exit = instance.exit().get(10, TimeUnit.SECONDS);
    assertThat(exit.exitCode()).isEqualTo(0);
    assertThat(exit.reason()).startsWith("exited with code 0");
  }

  private static Invocation invocation(String id, String topic, String payload) {
    return new Invocation(id, "sdk-echo", InboundMessage.of("orders", topic, payload.getBytes(UTF_8)),
        Instant.now().plusSeconds(10));
  }
}
