package dev.ldd.wire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.InstanceLostException;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.wire.conformance.ConformanceFunction;
import dev.ldd.wire.testing.ChildJvm;
import dev.ldd.wire.testing.Invocations;
import dev.ldd.wire.testing.RecordingSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport against the Java wrapper running as its own process, as it does in a container. */
class WrapperProcessTest {
  private final TcpFunctionTransport transport = TcpFunctionTransport.create();

  @AfterEach
  void tearDown() {
    transport.close();
  }

  private FunctionConnection connect(ChildJvm child) throws Exception {
    return transport.connect("enrich-3", new Endpoint("127.0.0.1", child.port()), Duration.ofSeconds(20),
        RecordingSink.accepting()).get(25, TimeUnit.SECONDS);
  }

  @Test
  void aWrapperKilledMidInvocationFailsExactlyTheInvocationsInFlightPromptly() throws Exception {
    try (ChildJvm child = ChildJvm.start(ConformanceFunction.class, ChildJvm.testClasspath())) {
      FunctionConnection c = connect(child);
      assertThat(c.invoke(Invocations.of("conformance/echo", "")).get(10, TimeUnit.SECONDS)).isEqualTo(InvocationResult.ok());
      List<CompletableFuture<InvocationResult>> inFlight = List.of(
          c.invoke(Invocations.of("conformance/sleep", "60000")),
          c.invoke(Invocations.of("conformance/sleep", "60000")),
          c.invoke(Invocations.of("conformance/sleep", "60000")));

      child.process().destroyForcibly();

      long start = System.nanoTime();
      for (CompletableFuture<InvocationResult> f : inFlight) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause()
            .isInstanceOf(InstanceLostException.class).hasMessageContaining("enrich-3");
      }
      c.closed().get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void closingTheConnectionMakesTheWrapperProcessExit() throws Exception {
    try (ChildJvm child = ChildJvm.start(ConformanceFunction.class, ChildJvm.testClasspath())) {
      FunctionConnection c = connect(child);
      assertThat(c.invoke(Invocations.of("conformance/echo", "")).get(10, TimeUnit.SECONDS)).isEqualTo(InvocationResult.ok());

      c.close();

      assertThat(child.awaitExit(10)).as("wrapper process exited; output:%n%s", child.output()).isTrue();
      assertThat(child.process().exitValue()).isZero();
    }
  }
}
