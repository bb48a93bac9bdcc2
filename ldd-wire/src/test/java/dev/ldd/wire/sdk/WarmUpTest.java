package dev.ldd.wire.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.testing.Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The warm-up the wrapper runs before Ready: never the user's handler, and never in the way of Ready. */
class WarmUpTest {
  /** An {@link LddFunction} with {@code warmUp}, run on a thread of its own. */
  private static final class Running implements AutoCloseable {
    final LddFunction function;
    final CompletableFuture<LddFunction.Exit> exit = new CompletableFuture<>();

    Running(dev.ldd.wire.sdk.Handler handler, int concurrency, WarmUp warmUp) {
      function = LddFunction.builder("fn", handler)
          .concurrency(concurrency)
          .address(InetAddress.getLoopbackAddress())
          .warmUp(warmUp)
          .build();
      function.bind();
      Thread t = new Thread(() -> {
        try {
          exit.complete(function.run());
        } catch (Throwable e) {
          exit.completeExceptionally(e);
        }
      }, "test-wrapper-warm-up");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return function.bind();
    }

    @Override
    public void close() {
      function.close();
    }
  }

  private static Frame invoke(String id, String topic) {
    return Frame.newBuilder().setInvoke(Invoke.newBuilder().setInvocationId(id).setTopic(topic)
        .setPayload(ByteString.copyFromUtf8("x"))
        .setDeadlineUnixMillis(System.currentTimeMillis() + 10_000)).build();
  }

  @Test
  void theHandlerIsNotCalledBeforeTheFirstRealInvocation() {
    List<String> called = new CopyOnWriteArrayList<>();
    try (Running w = new Running((inv, ctx) -> {
          called.add(inv.id() + " " + inv.topic());
          return Result.ok();
        }, 2, new WarmUp(3));
        Peer daemon = Peer.connect(w.port())) {
      Frame ready = daemon.next();
      assertThat(ready.hasReady()).isTrue();
      // The warm-up ran to completion before Ready was sent, so anything it did would be recorded by now.
      assertThat(called).isEmpty();

      daemon.send(invoke("real-1", "orders"));
      Frame result = daemon.next();
      assertThat(result.getResult().getInvocationId()).isEqualTo("real-1");
      assertThat(result.getResult().getCode()).isEqualTo(dev.ldd.wire.proto.Result.Code.OK);
      assertThat(called).containsExactly("real-1 orders");
    }
  }

  @Test
  void aFailingWarmUpOnlyLogsAndReadyStillFollows() {
    Logger logger = Logger.getLogger(WarmUp.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    WarmUp failing = new WarmUp(1) {
      @Override
      void exchange(String function, int concurrency, int maxFrameBytes, ThreadPoolExecutor pool) throws IOException {
        throw new IOException("no loopback here");
      }
    };
    try (Running w = new Running((inv, ctx) -> Result.reject("no"), 1, failing);
        Peer daemon = Peer.connect(w.port())) {
      assertThat(daemon.next().hasReady()).isTrue();
      assertThat(records).anySatisfy(r -> {
        assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(r.getMessage()).contains("warm-up failed").contains("no loopback here");
      });
      daemon.send(invoke("1", "t"));
      assertThat(daemon.next().getResult().getCode()).isEqualTo(dev.ldd.wire.proto.Result.Code.REJECT);
    } finally {
      logger.removeHandler(capture);
    }
  }

  @Test
  void anErrorThrownByTheWarmUpIsContainedToo() {
    WarmUp failing = new WarmUp(1) {
      @Override
      void exchange(String function, int concurrency, int maxFrameBytes, ThreadPoolExecutor pool) {
        throw new NoClassDefFoundError("something/Missing");
      }
    };
    try (Running w = new Running((inv, ctx) -> Result.ok(), 1, failing);
        Peer daemon = Peer.connect(w.port())) {
      assertThat(daemon.next().hasReady()).isTrue();
    }
  }

  @Test
  void theExchangesSucceedAndLeaveThePoolIdle() throws Exception {
    for (int concurrency : new int[] {1, 3}) {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(concurrency));
      try {
        pool.prestartAllCoreThreads();
        // exchange throws when any reply is missing or not the one expected (OK/ERROR/REJECT, Pong).
        new WarmUp(2).exchange("fn", concurrency, 1 << 20, pool);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.getCompletedTaskCount()).isEqualTo(concurrency > 1 ? 2 * 6 : 2 * 4);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void zeroRoundsRunsNothing() {
    java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
    WarmUp none = new WarmUp(0) {
      @Override
      void exchange(String function, int concurrency, int maxFrameBytes, ThreadPoolExecutor pool) {
        called.set(true);
      }
    };
    none.run("fn", 1, 1 << 20, null);
    assertThat(called).isFalse();
  }
}
