package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NioFrameChannelTest {
  private static final int MAX = FrameReader.DEFAULT_MAX_FRAME_BYTES;

  private IoLoop loop;
  private ServerSocket server;
  private SocketChannel local;
  private Socket remote;

  @BeforeEach
  void connect() throws Exception {
    loop = new IoLoop("test-io");
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    local = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    remote = server.accept();
    remote.setSoTimeout(10_000);
  }

  @AfterEach
  void close() throws Exception {
    local.close();
    remote.close();
    server.close();
    loop.close();
  }

  private static Frame ping(long nonce) {
    return Frame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }

  private static Frame invoke(String id, int payloadBytes, long seed) {
    byte[] payload = new byte[payloadBytes];
    new Random(seed).nextBytes(payload);
    return Frame.newBuilder().setInvoke(Invoke.newBuilder().setInvocationId(id).setTopic("t")
        .setPayload(ByteString.copyFrom(payload)).setDeadlineUnixMillis(1)).build();
  }

  private static byte[] encode(Frame... frames) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes, MAX);
    for (Frame f : frames) {
      writer.write(f);
    }
    writer.flush();
    return bytes.toByteArray();
  }

  /** Collects what the channel reports. */
  private static final class Recorder implements FrameChannel.Listener {
    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(Frame frame) {
      threads.add(Thread.currentThread().getName());
      frames.add(frame);
    }

    @Override
    public void onClose(Throwable cause) {
      closed.complete(cause);
    }

    Frame next() throws InterruptedException {
      Frame f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 10 s").isNotNull();
      return f;
    }
  }

  @Test
  void framesSplitAtEveryByteAndLargerThanTheBufferArriveWholeOnTheLoopThread() throws Exception {
    Recorder recorder = new Recorder();
    NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, MAX, "a");
    channel.start(recorder);
    List<Frame> sent = List.of(ping(1), invoke("small", 200, 1), invoke("large", 300_000, 2), ping(2),
        invoke("exactly-a-buffer", 16 * 1024 - 30, 3), invoke("medium", 20_000, 4));
    byte[] bytes = encode(sent.toArray(Frame[]::new));
    OutputStream out = remote.getOutputStream();
    // The first frames a byte at a time, the rest in uneven pieces.
    int i = 0;
    for (; i < 300; i++) {
      out.write(bytes[i]);
      out.flush();
    }
    Random random = new Random(7);
    while (i < bytes.length) {
      int n = Math.min(bytes.length - i, 1 + random.nextInt(40_000));
      out.write(bytes, i, n);
      out.flush();
      i += n;
    }
    for (Frame f : sent) {
      assertThat(recorder.next()).isEqualTo(f);
    }
    assertThat(recorder.threads).containsOnly("test-io");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void bytesBufferedDuringTheHandshakeAreDecodedFirst() throws Exception {
    byte[] bytes = encode(ping(1), ping(2), ping(3));
    Recorder recorder = new Recorder();
    // Pretend a handshake reader took the first frame and buffered part of the next ones.
    int split = bytes.length - 2;
    byte[] buffered = Arrays.copyOfRange(bytes, 0, split);
    NioFrameChannel channel = new NioFrameChannel(local, buffered, loop, MAX, "a");
    channel.start(recorder);
    assertThat(recorder.next()).isEqualTo(ping(1));
    assertThat(recorder.next()).isEqualTo(ping(2));
    remote.getOutputStream().write(bytes, split, 2);
    assertThat(recorder.next()).isEqualTo(ping(3));
  }

  @Test
  void sendNeverBlocksWhenThePeerDoesNotReadAndEverythingArrivesInOrderOnceItDoes() throws Exception {
    NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, MAX, "a");
    channel.start(new Recorder());
    // ~80 MiB, far beyond the socket buffers on both sides: a blocking write would hang here.
    int frames = 256;
    List<Frame> sent = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      // Small, larger than the channel's buffer, and larger than the writers' direct buffers.
      Frame f = invoke("i" + i, i % 16 == 0 ? 3 * 1024 * 1024 : i % 2 == 0 ? 256 * 1024 : 100, i);
      sent.add(f);
      assertThat(i % 2 == 0 ? channel.sendNow(f) : channel.send(f)).isTrue();
    }
    FrameReader reader = new FrameReader(remote.getInputStream(), MAX);
    for (Frame f : sent) {
      assertThat(reader.read()).isEqualTo(f);
    }
  }

  @Test
  void framesFromManyThreadsMixingSendAndSendNowArriveAllAndInEachThreadsOrder() throws Exception {
    NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, MAX, "a");
    channel.start(new Recorder());
    // Now and then a large frame, so that some senders find the socket full.
    ConcurrentSenders.FrameOf frames = (thread, i) -> i % 500 == 0
        ? Frame.newBuilder().setInvoke(Invoke.newBuilder().setInvocationId(thread + ":" + i)
            .setPayload(ByteString.copyFrom(new byte[100_000]))).build()
        : ConcurrentSenders.PINGS.of(thread, i);
    ConcurrentSenders.Numbering numbering = f -> {
      if (f.hasPing()) {
        return ConcurrentSenders.PING_NUMBERING.of(f);
      }
      String[] id = f.getInvoke().getInvocationId().split(":");
      return new long[] {Long.parseLong(id[0]), Long.parseLong(id[1])};
    };
    new ConcurrentSenders(6, 5_000, frames, channel::sendNow, channel::send)
        .assertAllArriveInEachThreadsOrder(new FrameReader(remote.getInputStream(), MAX), numbering);
  }

  @Test
  void closingFromAnotherThreadEndsThePeersStreamAtOnceAndReportsOnce() throws Exception {
    Recorder recorder = new Recorder();
    NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, MAX, "a");
    channel.start(recorder);
    channel.send(ping(1));
    InputStream in = remote.getInputStream();
    FrameReader reader = new FrameReader(in, MAX);
    assertThat(reader.read()).isEqualTo(ping(1));
    channel.close(null);
    channel.close(new IllegalStateException("second close"));
    assertThat(reader.read()).as("end of stream").isNull(); // within the 10 s read timeout
    assertThat(recorder.closed.get(1, TimeUnit.SECONDS)).as("cause").isNull();
    assertThat(channel.send(ping(2))).isFalse();
  }

  @Test
  void thePeerClosingBetweenFramesIsAnEndOfStreamAndInsideOneATruncation() throws Exception {
    Recorder recorder = new Recorder();
    new NioFrameChannel(local, new byte[0], loop, MAX, "a").start(recorder);
    remote.getOutputStream().write(encode(ping(1)));
    assertThat(recorder.next()).isEqualTo(ping(1));
    remote.close();
    assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);

    SocketChannel second = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    try (Socket peer = server.accept()) {
      Recorder truncated = new Recorder();
      new NioFrameChannel(second, new byte[0], loop, MAX, "b").start(truncated);
      byte[] bytes = encode(invoke("x", 50_000, 1));
      peer.getOutputStream().write(bytes, 0, 30_000);
      peer.getOutputStream().flush();
      peer.close();
      assertThat(truncated.closed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(WireProtocolException.class).hasMessageContaining("truncated frame");
    } finally {
      second.close();
    }
  }

  @Test
  void aPeerThatNeverStopsWritingDoesNotStarveTheOtherConnectionsOfItsLoop() throws Exception {
    // Channel A's listener is slower than its peer writes, so A's socket is never drained: without a
    // bound on reads per wake-up the loop would stay on A for as long as the peer writes.
    AtomicLong seenOnA = new AtomicLong();
    // A receive buffer far larger than one read, so that every read fills the channel's buffer.
    SocketChannel flooded = SocketChannel.open();
    flooded.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
    flooded.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    Socket floodPeer = server.accept();
    floodPeer.setSendBufferSize(8 << 20);
    new NioFrameChannel(flooded, new byte[0], loop, MAX, "flooded").start(new FrameChannel.Listener() {
      @Override
      public void onFrame(Frame frame) {
        seenOnA.incrementAndGet();
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // simulated work per frame
        }
      }

      @Override
      public void onClose(Throwable cause) {}
    });
    SocketChannel second = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    AtomicBoolean stop = new AtomicBoolean();
    Thread flood = new Thread(() -> {
      try {
        FrameWriter w = new FrameWriter(floodPeer.getOutputStream(), MAX);
        for (long i = 0; !stop.get(); i++) {
          w.write(ping(i));
          if (i % 16_384 == 0) { // large writes, so that the receiving socket holds more than a read takes
            w.flush();
          }
        }
      } catch (Exception ignored) {
        // the test closes the socket
      }
    }, "flood");
    try (Socket peer = server.accept()) {
      Recorder other = new Recorder();
      new NioFrameChannel(second, new byte[0], loop, MAX, "other").start(other);
      flood.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seenOnA.get() > 1_000);
      peer.getOutputStream().write(encode(ping(42)));
      assertThat(other.next()).isEqualTo(ping(42));
    } finally {
      stop.set(true);
      floodPeer.close();
      flood.join(10_000);
      flooded.close();
      second.close();
    }
  }

  @Test
  void anOversizedPrefixClosesTheChannelBeforeAnythingIsAllocatedAndOthersOnTheLoopCarryOn() throws Exception {
    Recorder bad = new Recorder();
    new NioFrameChannel(local, new byte[0], loop, 1024, "bad").start(bad);
    SocketChannel second = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    try (Socket peer = server.accept()) {
      Recorder good = new Recorder();
      new NioFrameChannel(second, new byte[0], loop, MAX, "good").start(good);
      // A prefix announcing 2 GiB - 1 bytes, and nothing after it.
      remote.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
      assertThat(bad.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(WireProtocolException.class)
          .hasMessageContaining("exceeds the maximum frame size of 1024 bytes");
      peer.getOutputStream().write(encode(ping(5)));
      assertThat(good.next()).isEqualTo(ping(5));
    } finally {
      second.close();
    }
  }
}
