package dev.ldd.wire.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.wire.sdk.Result;
import dev.ldd.wire.testing.ChildJvm;
import dev.ldd.wire.testing.InProcessWrapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConformanceKitTest {
  @Test
  void theJavaWrapperPassesTheKitOnAClasspathOfOnlyLddWireAndProtobuf() throws Exception {
    // A function image carries no ldd-core: a class of it loaded by the SDK would fail the run.
    try (ChildJvm child = ChildJvm.start(ConformanceFunction.class, ChildJvm.sdkOnlyClasspath())) {
      ConformanceKit.Report report = ConformanceKit.run("127.0.0.1", child.port(), Duration.ofSeconds(20));

      assertThat(report.allPassed()).as("%s%nwrapper output:%n%s", report, child.output()).isTrue();
      assertThat(report.checks()).extracting(ConformanceKit.Check::name).contains(
          "handshake", "ping", "echo", "inspect", "exception-is-error", "reject", "publish-acknowledged",
          "publish-refused", "reply", "multiplexing", "close-makes-wrapper-exit");
      assertThat(child.awaitExit(10)).as("the wrapper exits after the kit closed the connection").isTrue();
      assertThat(child.process().exitValue()).isZero();
    }
  }

  @Test
  void theKitFailsAWrapperThatDoesNotBehave() {
    try (InProcessWrapper sloppy = new InProcessWrapper("sloppy", (inv, ctx) -> Result.ok(), 1)) {
      ConformanceKit.Report report = ConformanceKit.run("127.0.0.1", sloppy.port(), Duration.ofSeconds(5));

      assertThat(report.allPassed()).isFalse();
      assertThat(report.checks()).filteredOn(c -> !c.passed()).extracting(ConformanceKit.Check::name)
          .containsExactly("inspect", "exception-is-error", "reject", "publish-acknowledged", "publish-refused", "reply");
      assertThat(report.checks()).filteredOn(c -> c.name().equals("multiplexing"))
          .singleElement().extracting(ConformanceKit.Check::detail).asString().contains("skipped");
    }
  }
}
