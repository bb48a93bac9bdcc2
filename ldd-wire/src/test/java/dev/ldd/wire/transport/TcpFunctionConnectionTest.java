package dev.ldd.wire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.wire.frame.Dialer;
import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.frame.IoLoop;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.testing.FakeWrapper;
import dev.ldd.wire.testing.RecordingSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Life cycle races of one {@link TcpFunctionConnection}, driven without the transport around it. */
class TcpFunctionConnectionTest {

  /** A timer that lets a test hold up the scheduling of a connection's liveness check. */
  private static final class GatedTimer extends ScheduledThreadPoolExecutor {
    final AtomicReference<CompletableFuture<?>> gate = new AtomicReference<>(CompletableFuture.completedFuture(null));
    final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();

    GatedTimer() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
      gate.get().orTimeout(10, TimeUnit.SECONDS).join();
      ScheduledFuture<?> f = super.scheduleWithFixedDelay(task, initialDelay, delay, unit);
      scheduled.add(f);
      return f;
    }
  }

  @Test
  void anInstanceThatHangsUpRightAfterItsReadyLeavesNoLivenessTaskRunningForever() throws Exception {
    GatedTimer timer = new GatedTimer();
    try (IoLoop loop = new IoLoop("conn-io");
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        SocketChannel local = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
      Socket remote = server.accept();
      Frame readyFrame = FakeWrapper.ready(1, 0, "enrich", 1);
      FrameReader reader = new FrameReader(local.socket().getInputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
      TcpFunctionConnection connection = new TcpFunctionConnection("i-1", WireMapping.readyInfo("i-1", readyFrame),
          new Dialer.Dialed(local.socket(), reader, readyFrame), loop, FrameReader.DEFAULT_MAX_FRAME_BYTES,
          RecordingSink.accepting(), Clock.systemUTC(), timer, Duration.ofSeconds(4), c -> { });
      // The instance is gone before the connecting thread gets to schedule the liveness check.
      remote.close();
      timer.gate.set(connection.closed());

      connection.start();

      assertThat(connection.closed()).isDone();
      assertThat(timer.scheduled).hasSize(1);
      assertThat(timer.scheduled.get(0).isCancelled()).as("the liveness check of the closed connection is cancelled").isTrue();
    } finally {
      timer.shutdownNow();
    }
  }
}
