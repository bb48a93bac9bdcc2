package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
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
    new ConcurrentSenders(8, 5_000, ConcurrentSenders.PINGS, channel::sendNow, channel::send)
        .assertAllArriveInEachThreadsOrder(new FrameReader(remote.getInputStream(), MAX), ConcurrentSenders.PING_NUMBERING);
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
