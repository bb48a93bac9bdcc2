package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Edge cases of {@link NioFrameChannel} and {@link IoLoop}: memory, listener failures, boundaries. */
class NioFrameChannelEdgeTest {
  private static final int MAX = FrameReader.DEFAULT_MAX_FRAME_BYTES;

  private IoLoop loop;
  private ServerSocket server;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    loop = new IoLoop("edge-io");
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    server.close();
    loop.close();
  }

  /** A connected pair: the channel's socket and the peer's. */
  private record Pair(SocketChannel local, Socket remote) {}

  private Pair pair() throws Exception {
    SocketChannel local = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    Socket remote = server.accept();
    remote.setSoTimeout(10_000);
    cleanup.add(local);
    cleanup.add(remote);
    return new Pair(local, remote);
  }

  static Frame ping(long nonce) {
    return Frame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }

  static Frame invoke(String id, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + id.hashCode());
    }
    return Frame.newBuilder().setInvoke(Invoke.newBuilder().setInvocationId(id).setTopic("t")
        .setPayload(ByteString.copyFrom(payload)).setDeadlineUnixMillis(1)).build();
  }

  static byte[] encode(Frame... frames) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes, Integer.MAX_VALUE);
    for (Frame f : frames) {
      writer.write(f);
    }
    writer.flush();
    return bytes.toByteArray();
  }

  static final class Recorder implements FrameChannel.Listener {
    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();

    @Override
    public void onFrame(Frame frame) {
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

  private static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow().getMemoryUsed();
  }

  @Test
  void readingALargeFrameLeavesNoDirectBufferOfItsSizeBehind() throws Exception {
    Pair p = pair();
    Recorder recorder = new Recorder();
    new NioFrameChannel(p.local(), new byte[0], loop, MAX, "a").start(recorder);
    Frame big = invoke("big", 8 * 1024 * 1024);
    long before = directBytes();
    p.remote().getOutputStream().write(encode(big));
    assertThat(recorder.next()).isEqualTo(big);
    assertThat(directBytes() - before).as("direct memory the loop thread holds on to").isLessThan(2 * 1024 * 1024);
  }

  @Test
  void writingALargeFrameLeavesNoDirectBufferOfItsSizeBehind() throws Exception {
    Pair p = pair();
    NioFrameChannel channel = new NioFrameChannel(p.local(), new byte[0], loop, MAX, "a");
    channel.start(new Recorder());
    Frame big = invoke("big", 8 * 1024 * 1024);
    long before = directBytes();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    CompletableFuture<Void> measured = new CompletableFuture<>();
    Thread sender = new Thread(() -> {
      channel.sendNow(big);
      sent.complete(null);
      measured.join(); // stay alive: a thread's cached buffers are freed when it ends
    });
    sender.start();
    sent.get(10, TimeUnit.SECONDS);
    FrameReader reader = new FrameReader(p.remote().getInputStream(), MAX);
    assertThat(reader.read()).isEqualTo(big);
    long held = directBytes() - before;
    measured.complete(null);
    sender.join();
    assertThat(held).as("direct memory the writing threads hold on to").isLessThan(2 * 1024 * 1024);
  }

  @Test
  void aListenerThatThrowsFromOnFrameAndOnCloseLosesOnlyItsChannelAndTheLoopCarriesOn() throws Exception {
    Pair bad = pair();
    Pair good = pair();
    CompletableFuture<Throwable> badClosed = new CompletableFuture<>();
    new NioFrameChannel(bad.local(), new byte[0], loop, MAX, "bad").start(new FrameChannel.Listener() {
      @Override
      public void onFrame(Frame frame) {
        throw new IllegalStateException("listener failed on a frame");
      }

      @Override
      public void onClose(Throwable cause) {
        badClosed.complete(cause);
        throw new IllegalStateException("listener failed on close");
      }
    });
    Recorder recorder = new Recorder();
    NioFrameChannel healthy = new NioFrameChannel(good.local(), new byte[0], loop, MAX, "good");
    healthy.start(recorder);

    bad.remote().getOutputStream().write(encode(ping(1)));
    assertThat(badClosed.get(10, TimeUnit.SECONDS)).hasMessage("listener failed on a frame");
    good.remote().getOutputStream().write(encode(ping(2)));

    assertThat(recorder.next()).isEqualTo(ping(2));
    assertThat(recorder.closed).isNotDone();
    assertThat(healthy.isOpen()).isTrue();
  }

  /**
   * The largest frame whose encoding (prefix included) has at most {@code total} bytes: exactly
   * {@code total} unless no frame has that size (the prefix grows by a byte at 128 and 16384).
   */
  static Frame frameOfEncodedSize(String id, int total) throws Exception {
    for (int payload = total; payload >= 0; payload--) {
      Frame f = invoke(id, payload);
      if (encode(f).length <= total) {
        return f;
      }
    }
    throw new AssertionError("no frame of " + total + " bytes");
  }

  @Test
  void framesAroundEveryBufferBoundaryArriveWholeWhateverWasBufferedAndHoweverTheBytesAreSplit() throws Exception {
    Random random = new Random(42);
    List<Frame> frames = new ArrayList<>();
    int[] totals = {3, 129, 130, 131, 16_383, 16_384, 16_385, 16_386, 16_387, 16_388, 16_389, 32_768, 40_000, 65_536, 70_000};
    for (int round = 0; round < 3; round++) {
      for (int total : totals) {
        frames.add(total < 10 ? ping(round) : frameOfEncodedSize(round + ":" + total, total));
      }
    }
    Collections.shuffle(frames, random);
    byte[] bytes = encode(frames.toArray(Frame[]::new));
    for (int buffered : new int[] {0, 1, 16_383, 16_384, 16_385, 16_389, 40_000, 65_536}) {
      Pair p = pair();
      Recorder recorder = new Recorder();
      new NioFrameChannel(p.local(), Arrays.copyOf(bytes, buffered), loop, MAX, "b" + buffered).start(recorder);
      OutputStream out = p.remote().getOutputStream();
      int i = buffered;
      while (i < bytes.length) {
        // Pieces of every size around the buffer's, now and then a single byte.
        int n = Math.min(bytes.length - i, random.nextInt(8) == 0 ? 1 : 1 + random.nextInt(20_000));
        out.write(bytes, i, n);
        out.flush();
        i += n;
      }
      for (Frame f : frames) {
        assertThat(recorder.next()).as("after %d buffered bytes", buffered).isEqualTo(f);
      }
      assertThat(recorder.closed).isNotDone();
    }
  }

  static Stream<Arguments> badBytes() throws Exception {
    byte[] ping = encode(ping(7));
    return Stream.of(
        Arguments.of("an empty frame", new byte[] {0}, "empty frame of 0 bytes"),
        Arguments.of("a prefix of six bytes",
            new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}, "malformed length prefix"),
        Arguments.of("the stream ending inside a prefix",
            concat(ping, new byte[] {(byte) 0x80}), "truncated frame"),
        Arguments.of("the stream ending inside a body",
            Arrays.copyOf(ping, ping.length - 1), "truncated frame"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBytes")
  void badBytesSentAByteAtATimeCloseTheChannelNamingWhatWasWrong(String name, byte[] bad, String reason) throws Exception {
    Pair p = pair();
    Recorder recorder = new Recorder();
    new NioFrameChannel(p.local(), new byte[0], loop, MAX, "a").start(recorder);
    OutputStream out = p.remote().getOutputStream();
    for (byte b : bad) {
      out.write(b);
      out.flush();
    }
    p.remote().shutdownOutput();
    assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isInstanceOf(WireProtocolException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aLengthPrefixOfTheFullFiveBytesIsAcceptedEvenSplitAcrossReads() throws Exception {
    Pair p = pair();
    Recorder recorder = new Recorder();
    new NioFrameChannel(p.local(), new byte[] {(byte) 0x84}, loop, MAX, "a").start(recorder);
    byte[] body = ping(3).toByteArray();
    assertThat(body).hasSize(4);
    OutputStream out = p.remote().getOutputStream();
    // 4, written as a 5-byte varint (not the shortest form, still at most 5 bytes).
    for (byte b : concat(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00}, body)) {
      out.write(b);
      out.flush();
    }
    assertThat(recorder.next()).isEqualTo(ping(3));
  }

  @Test
  void aWriterRunningOutOfDirectMemoryClosesTheChannelInsteadOfLeavingFramesStuckInIt() throws Exception {
    String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(javaBin, "-XX:MaxDirectMemorySize=256k", "-cp", System.getProperty("java.class.path"),
        DirectMemoryExhaustion.class.getName()).redirectErrorStream(true).start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output).contains("OK: closed, cause java.lang.OutOfMemoryError");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void withTinySocketBuffersEveryFrameOfEverySenderStillLeavesInOrder() throws Exception {
    SocketChannel local = SocketChannel.open();
    local.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
    server.setReceiveBufferSize(4096);
    local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    Socket remote = server.accept();
    remote.setSoTimeout(10_000);
    cleanup.add(local);
    cleanup.add(remote);
    NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, MAX, "tiny");
    Recorder recorder = new Recorder();
    channel.start(recorder);
    int threads = 4;
    int perThread = 3_000;
    List<Thread> senders = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread sender = new Thread(() -> {
        go.countDown();
        for (int i = 0; i < perThread; i++) {
          // Mostly small frames, some larger than the channel's buffer, in both kinds of send.
          Frame f = i % 100 == 7 ? invoke(thread + ":" + i, 20_000 + i) : invoke(thread + ":" + i, i % 50);
          boolean queued = (i + thread) % 3 == 0 ? channel.send(f) : channel.sendNow(f);
          if (!queued) {
            throw new AssertionError("the channel closed");
          }
        }
      });
      sender.start();
      senders.add(sender);
    }
    FrameReader reader = new FrameReader(remote.getInputStream(), MAX);
    int[] next = new int[threads];
    for (int n = 0; n < threads * perThread; n++) {
      Frame f = reader.read(); // a frame stuck in the queue ends this with a read timeout
      String[] id = f.getInvoke().getInvocationId().split(":");
      int thread = Integer.parseInt(id[0]);
      assertThat(Integer.parseInt(id[1])).as("the next frame of sender " + thread).isEqualTo(next[thread]);
      next[thread]++;
    }
    for (Thread sender : senders) {
      sender.join(10_000);
    }
    assertThat(recorder.closed).isNotDone();
  }

  @Test
  void closingWhileOthersSendAndTheLoopRegistersReportsOnceAndAlwaysEndsThePeersStream() throws Exception {
    Random random = new Random(3);
    for (int round = 0; round < 200; round++) {
      Pair p = pair();
      AtomicInteger closes = new AtomicInteger();
      NioFrameChannel channel = new NioFrameChannel(p.local(), new byte[0], loop, MAX, "r" + round);
      channel.start(new FrameChannel.Listener() {
        @Override
        public void onFrame(Frame frame) {}

        @Override
        public void onClose(Throwable cause) {
          closes.incrementAndGet();
        }
      });
      int sends = random.nextInt(50);
      Thread sender = new Thread(() -> {
        for (int i = 0; channel.sendNow(i % 10 == 0 ? invoke("x", 30_000) : ping(i)) && i < 100_000; i++) {
          channel.send(ping(i));
        }
      });
      sender.start();
      for (int i = 0; i < sends; i++) {
        channel.send(ping(-i));
      }
      Thread closer = new Thread(() -> channel.close(null));
      closer.start();
      channel.close(new IllegalStateException("a second close"));
      closer.join(10_000);
      sender.join(10_000);
      assertThat(sender.isAlive()).as("the sender saw the close").isFalse();
      FrameReader reader = new FrameReader(p.remote().getInputStream(), MAX);
      try {
        while (reader.read() != null) {
          // what was written before the close
        }
      } catch (SocketException reset) {
        // closing with unread bytes may reset the connection: an end too
      } catch (WireProtocolException truncated) {
        // the close cut a frame: an end too
      }
      assertThat(closes).as("onClose calls").hasValue(1);
    }
    // The loop serves new channels after all that.
    Pair p = pair();
    Recorder recorder = new Recorder();
    new NioFrameChannel(p.local(), new byte[0], loop, MAX, "after").start(recorder);
    p.remote().getOutputStream().write(encode(ping(9)));
    assertThat(recorder.next()).isEqualTo(ping(9));
  }

  @Test
  void aListenerAnsweringOnTheLoopThreadWhileAnotherThreadSendsLargeFramesCorruptsNothing() throws Exception {
    Pair p = pair();
    AtomicReference<NioFrameChannel> self = new AtomicReference<>();
    NioFrameChannel channel = new NioFrameChannel(p.local(), new byte[0], loop, MAX, "echo");
    self.set(channel);
    // Answers every frame at once from the loop's thread (as a publish ack is), through that thread's
    // direct buffer, which the loop also uses to finish the other thread's large frames.
    channel.start(new FrameChannel.Listener() {
      @Override
      public void onFrame(Frame frame) {
        self.get().sendNow(frame);
      }

      @Override
      public void onClose(Throwable cause) {}
    });
    int frames = 200;
    List<Frame> large = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      large.add(invoke("large-" + i, 17_000 + 3_000 * (i % 300)));
    }
    List<Frame> echoed = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      echoed.add(invoke("echo-" + i, 20_000 + 7 * i));
    }
    Thread sender = new Thread(() -> large.forEach(channel::sendNow));
    Thread peer = new Thread(() -> {
      try {
        p.remote().getOutputStream().write(encode(echoed.toArray(Frame[]::new)));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    sender.start();
    peer.start();
    FrameReader reader = new FrameReader(p.remote().getInputStream(), MAX);
    List<Frame> gotLarge = new ArrayList<>();
    List<Frame> gotEchoed = new ArrayList<>();
    for (int i = 0; i < 2 * frames; i++) {
      Frame f = reader.read();
      (f.getInvoke().getInvocationId().startsWith("large") ? gotLarge : gotEchoed).add(f);
    }
    sender.join(10_000);
    peer.join(10_000);
    assertThat(gotLarge).isEqualTo(large);
    assertThat(gotEchoed).isEqualTo(echoed);
  }
}
