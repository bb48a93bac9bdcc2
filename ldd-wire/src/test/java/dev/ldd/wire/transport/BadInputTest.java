package dev.ldd.wire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.ldd.core.InstanceLostException;
import dev.ldd.core.ProtocolException;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.wire.conformance.ConformanceFunction;
import dev.ldd.wire.frame.FrameWriter;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.Result;
import dev.ldd.wire.testing.FakeWrapper;
import dev.ldd.wire.testing.InProcessWrapper;
import dev.ldd.wire.testing.Invocations;
import dev.ldd.wire.testing.Peer;
import dev.ldd.wire.testing.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A function that sends bad input loses its own connection, and only that one. */
class BadInputTest {
  private static final int MAX_FRAME = 64 * 1024;

  static Stream<Arguments> badInput() {
    return Stream.of(
        bad("malformed frame", invoke -> new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "malformed frame of 3 bytes"),
        bad("oversized length prefix", invoke -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x40},
            "frame of 1048576 bytes exceeds the maximum frame size of 65536 bytes"),
        bad("unknown frame type", invoke -> bytes(Frame.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(42, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("?")).build())
            .build()).build()), "unknown frame type (field [42])"),
        bad("result for an unknown id", invoke -> bytes(result("no-such-id", Result.Code.OK)),
            "Result for unknown invocation id 'no-such-id'"),
        bad("result without a code", invoke -> bytes(result(invoke.getInvocationId(), Result.Code.CODE_UNSPECIFIED)),
            "has no valid code"),
        bad("second Ready", invoke -> bytes(FakeWrapper.ready(1, 0, "enrich", 1)), "second Ready frame"),
        bad("daemon-only frame", invoke -> bytes(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build()),
            "unexpected PING frame: it travels daemon -> function only"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void closesOnlyTheOffendingConnectionNamingTheInstanceAndTheReason(
      String name, Function<dev.ldd.wire.proto.Invoke, byte[]> input, String reason) throws Exception {
    try (TcpFunctionTransport transport = TcpFunctionTransport.builder().maxFrameBytes(MAX_FRAME)
            .ioThreads(1).build(); // the offender and the healthy connection share the selector thread
        InProcessWrapper good = new InProcessWrapper("good", new ConformanceFunction(), 4);
        FakeWrapper fake = new FakeWrapper()) {
      FunctionConnection healthy = transport.connect("good-1", good.endpoint(), Duration.ofSeconds(10),
          RecordingSink.accepting()).get(10, TimeUnit.SECONDS);
      CompletableFuture<FunctionConnection> f =
          transport.connect("bad-1", fake.endpoint(), Duration.ofSeconds(10), RecordingSink.accepting());
      try (Peer bad = fake.acceptReady("enrich", 4)) {
        FunctionConnection offender = f.get(10, TimeUnit.SECONDS);
        CompletableFuture<InvocationResult> inFlight = offender.invoke(Invocations.of("t", "x"));
        Frame invoke = bad.nextIgnoringPings();

        bad.sendRaw(input.apply(invoke.getInvoke()));

        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).cause()
            .isInstanceOf(InstanceLostException.class)
            .hasMessageContaining("instance bad-1")
            .hasMessageContaining(reason)
            .cause().isInstanceOf(ProtocolException.class).hasMessageContaining("bad-1");
        offender.closed().get(10, TimeUnit.SECONDS);
        assertThat(bad.awaitClosed()).as("the daemon closed the offender's socket").isTrue();
      }
      assertThat(healthy.invoke(Invocations.of("conformance/echo", "")).get(10, TimeUnit.SECONDS))
          .isEqualTo(InvocationResult.ok());
      assertThat(healthy.closed()).isNotDone();
    }
  }

  private static Arguments bad(String name, Function<dev.ldd.wire.proto.Invoke, byte[]> input, String reason) {
    return Arguments.of(name, input, reason);
  }

  private static Frame result(String id, Result.Code code) {
    return Frame.newBuilder().setResult(Result.newBuilder().setInvocationId(id).setCode(code)).build();
  }

  private static byte[] bytes(Frame frame) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      FrameWriter w = new FrameWriter(out, Integer.MAX_VALUE);
      w.write(frame);
      w.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
