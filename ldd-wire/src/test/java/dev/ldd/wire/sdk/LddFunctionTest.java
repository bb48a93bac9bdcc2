package dev.ldd.wire.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.PublishAck;
import dev.ldd.wire.proto.Shutdown;
import dev.ldd.wire.testing.InProcessWrapper;
import dev.ldd.wire.testing.Peer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wrapper seen from a scripted daemon, frame by frame. */
class LddFunctionTest {
  private static Frame invoke(String id, String topic, String payload) {
    return Frame.newBuilder().setInvoke(Invoke.newBuilder().setInvocationId(id).setTopic(topic)
        .setPayload(ByteString.copyFromUtf8(payload))
        .setDeadlineUnixMillis(System.currentTimeMillis() + 10_000)).build();
  }

  private static dev.ldd.wire.proto.Result resultOf(Peer daemon) {
    Frame f = daemon.next();
    assertThat(f).isNotNull();
    assertThat(f.getKindCase()).isEqualTo(Frame.KindCase.RESULT);
    return f.getResult();
  }

  @Test
  void theWrapperSpeaksFirstWithReady() {
    try (InProcessWrapper w = new InProcessWrapper("greeter", (inv, ctx) -> Result.ok(), 3);
        Peer daemon = Peer.connect(w.port())) {
      Frame first = daemon.next();
      assertThat(first.getReady().getProtocolMajor()).isEqualTo(1);
      assertThat(first.getReady().getProtocolMinor()).isEqualTo(0);
      assertThat(first.getReady().getFunction()).isEqualTo("greeter");
      assertThat(first.getReady().getMaxConcurrency()).isEqualTo(3);
    }
  }

  @Test
  void shutdownLetsInFlightInvocationsFinishRefusesNewOnesThenEnds() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (InProcessWrapper w = new InProcessWrapper("fn", (inv, ctx) -> {
          started.countDown();
          release.await();
          return Result.ok();
        }, 2);
        Peer daemon = Peer.connect(w.port())) {
      daemon.next(); // Ready
      daemon.send(invoke("a", "t", ""));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      daemon.send(Frame.newBuilder().setShutdown(Shutdown.newBuilder().setGraceMillis(10_000)).build());
      daemon.send(invoke("b", "t", ""));

      dev.ldd.wire.proto.Result refused = resultOf(daemon);
      assertThat(refused.getInvocationId()).isEqualTo("b");
      assertThat(refused.getError()).contains("shutting down");
      release.countDown();
      assertThat(resultOf(daemon).getInvocationId()).isEqualTo("a");
      assertThat(daemon.next()).as("connection closed after the last result").isNull();
      assertThat(w.exit().get(10, TimeUnit.SECONDS)).isEqualTo(LddFunction.Exit.SHUTDOWN);
    }
  }

  @Test
  void exceptionsAndNullResultsBecomeErrors() {
    try (InProcessWrapper w = new InProcessWrapper("fn", (inv, ctx) -> switch (inv.topic()) {
          case "npe" -> throw new NullPointerException();
          case "null" -> null;
          default -> throw new IllegalArgumentException("bad input " + inv.topic());
        }, 1);
        Peer daemon = Peer.connect(w.port())) {
      daemon.next();
      daemon.send(invoke("1", "npe", ""));
      assertThat(resultOf(daemon).getError()).isEqualTo("java.lang.NullPointerException");
      daemon.send(invoke("2", "null", ""));
      assertThat(resultOf(daemon).getError()).isEqualTo("the handler returned null");
      daemon.send(invoke("3", "x", ""));
      dev.ldd.wire.proto.Result r = resultOf(daemon);
      assertThat(r.getCode()).isEqualTo(dev.ldd.wire.proto.Result.Code.ERROR);
      assertThat(r.getError()).isEqualTo("bad input x");
    }
  }

  @Test
  void replyWithoutReplyToAndPublishAfterReturningAreRefused() throws Exception {
    CompletableFuture<Context> kept = new CompletableFuture<>();
    try (InProcessWrapper w = new InProcessWrapper("fn", (inv, ctx) -> {
          kept.complete(ctx);
          ctx.reply(new byte[0], Map.of());
          return Result.ok();
        }, 1);
        Peer daemon = Peer.connect(w.port())) {
      daemon.next();
      daemon.send(invoke("1", "t", ""));
      assertThat(resultOf(daemon).getError()).contains("has no reply-to destination");
      Context stale = kept.get(5, TimeUnit.SECONDS);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> stale.publish("t", new byte[0], Map.of()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already returned");
    }
  }

  @Test
  void pingsAreAnsweredWhileEveryWorkerIsBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (InProcessWrapper w = new InProcessWrapper("fn", (inv, ctx) -> {
          release.await();
          return Result.ok();
        }, 1);
        Peer daemon = Peer.connect(w.port())) {
      daemon.next();
      daemon.send(invoke("1", "t", ""));
      daemon.send(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(77)).build());
      assertThat(daemon.next().getPong().getNonce()).isEqualTo(77);
      release.countDown();
      assertThat(resultOf(daemon).getCode()).isEqualTo(dev.ldd.wire.proto.Result.Code.OK);
    }
  }

  @Test
  void aDaemonThatBreaksTheProtocolEndsTheWrapperWithProtocolError() throws Exception {
    try (InProcessWrapper w = new InProcessWrapper("fn", (inv, ctx) -> Result.ok(), 1);
        Peer daemon = Peer.connect(w.port())) {
      daemon.next();
      daemon.send(Frame.newBuilder().setPublishAck(PublishAck.newBuilder().setPublishId(99).setOk(true)).build());
      assertThat(w.exit().get(10, TimeUnit.SECONDS)).isEqualTo(LddFunction.Exit.PROTOCOL_ERROR);
      assertThat(daemon.awaitClosed()).isTrue();
    }
  }
}
