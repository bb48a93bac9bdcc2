package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameChannelTest {
  private static final int MAX = FrameReader.DEFAULT_MAX_FRAME_BYTES;

  private ServerSocket server;
  private Socket local;
  private Socket remote;

  @BeforeEach
  void connect() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    local = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    remote = server.accept();
    remote.setSoTimeout(10_000);
  }

  @AfterEach
  void close() throws Exception {
    local.close();
    remote.close();
    server.close();
  }

  private static Frame ping(long nonce) {
    return Frame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }

  /** Records what the channel reports. */
  private static final class Recorder implements FrameChannel.Listener {
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();

    @Override
    public void onFrame(Frame frame) {}

    @Override
    public void onClose(Throwable cause) {
      closed.complete(cause);
    }
  }

  @Test
  void framesFromManyThreadsMixingSendAndSendNowArriveAllAndInEachThreadsOrder() throws Exception {
    FrameChannel channel = new FrameChannel(local, new FrameReader(local.getInputStream(), MAX), MAX, "test", "a");
    channel.start(new Recorder());
    int threads = 8;
    int perThread = 5_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long thread = t;
      Thread sender = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (long i = 0; i < perThread; i++) {
          Frame f = ping(thread << 32 | i);
          if (i % 3 == 0) {
            channel.sendNow(f);
          } else {
            channel.send(f);
          }
        }
      });
      sender.start();
      senders.add(sender);
    }
    go.countDown();

    FrameReader reader = new FrameReader(remote.getInputStream(), MAX);
    Map<Long, Long> nextExpected = new HashMap<>();
    for (int n = 0; n < threads * perThread; n++) {
      long nonce = reader.read().getPing().getNonce();
      long thread = nonce >>> 32;
      long seq = nonce & 0xffffffffL;
      assertThat(seq).as("thread %d", thread).isEqualTo(nextExpected.getOrDefault(thread, 0L));
      nextExpected.put(thread, seq + 1);
    }
    for (Thread s : senders) {
      s.join(10_000);
    }
    assertThat(nextExpected.values()).containsOnly((long) perThread);
  }

  @Test
  void closeAfterFlushDeliversWhatWasQueuedThenCloses() throws Exception {
    FrameChannel channel = new FrameChannel(local, new FrameReader(local.getInputStream(), MAX), MAX, "test", "a");
    Recorder recorder = new Recorder();
    channel.start(recorder);
    for (int i = 0; i < 1000; i++) {
      channel.send(ping(i));
    }
    channel.closeAfterFlush();

    FrameReader reader = new FrameReader(remote.getInputStream(), MAX);
    for (int i = 0; i < 1000; i++) {
      assertThat(reader.read().getPing().getNonce()).isEqualTo(i);
    }
    assertThat(reader.read()).isNull();
    assertThat(recorder.closed.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.send(ping(1))).isFalse();
  }

  @Test
  void thePeerClosingIsReportedOnceAsEndOfStream() throws Exception {
    FrameChannel channel = new FrameChannel(local, new FrameReader(local.getInputStream(), MAX), MAX, "test", "a");
    Recorder recorder = new Recorder();
    channel.start(recorder);
    remote.close();
    assertThat(recorder.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
    channel.close(null); // idempotent: not reported again
  }
}
