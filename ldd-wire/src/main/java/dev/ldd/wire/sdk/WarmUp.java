package dev.ldd.wire.sdk;

import com.google.protobuf.ByteString;
import dev.ldd.wire.frame.FrameChannel;
import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.PublishAck;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the wrapper runs before it announces Ready, so that a prewarmed instance's first message does not
 * pay for loading, linking and interpreting the wrapper's invocation path. A second {@link FunctionSession}
 * on the real invocation pool, with a handler of its own (never the user's), serves a stand-in daemon in
 * the same JVM over a loopback TCP connection: the real socket reads and writes, frame codec, pool
 * hand-off, {@link Invocation} and {@link Context}, OK/ERROR/REJECT results, a publish and its ack, a ping.
 *
 * <p>Bounded: a given number of rounds of those exchanges, each reply awaited at most
 * {@link #TIMEOUT_MILLIS}. A failure only logs: the first invocation then pays what was not warmed.
 */
class WarmUp {
  private static final System.Logger log = System.getLogger(WarmUp.class.getName());
  /** The system property that sets the number of rounds; 0 turns the warm-up off (threads are prestarted anyway). */
  static final String ROUNDS_PROPERTY = "ldd.sdk.warmUpRounds";
  static final int DEFAULT_ROUNDS = 1;
  static final long TIMEOUT_MILLIS = 2_000;

  private static final String OK = "ldd-warm-up/ok";
  private static final String ERROR = "ldd-warm-up/error";
  private static final String REJECT = "ldd-warm-up/reject";
  private static final String PUBLISH = "ldd-warm-up/publish";
  private static final Frame CLOSED = Frame.getDefaultInstance();

  /** The warm-up's own handler: the user's is never called before Ready. */
  private static final Handler HANDLER = (invocation, context) -> switch (invocation.topic()) {
    case ERROR -> Result.error("warm-up");
    case REJECT -> Result.reject("warm-up");
    case PUBLISH -> {
      context.publish(PUBLISH, invocation.payload(), invocation.properties());
      context.reply(invocation.payload(), Map.of());
      yield Result.ok();
    }
    default -> Result.ok();
  };

  private final int rounds;

  WarmUp(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
    }
    this.rounds = rounds;
  }

  /** {@link #DEFAULT_ROUNDS}, or the value of the system property {@value #ROUNDS_PROPERTY}. */
  static WarmUp fromSystemProperty() {
    String value = System.getProperty(ROUNDS_PROPERTY);
    if (value == null || value.isBlank()) {
      return new WarmUp(DEFAULT_ROUNDS);
    }
    try {
      return new WarmUp(Math.max(0, Integer.parseInt(value.trim())));
    } catch (NumberFormatException e) {
      log.log(Level.WARNING, "{0} must be a number, was ''{1}''; warming up {2} rounds",
          ROUNDS_PROPERTY, value, DEFAULT_ROUNDS);
      return new WarmUp(DEFAULT_ROUNDS);
    }
  }

  int rounds() {
    return rounds;
  }

  /** Runs the warm-up on {@code pool}; never throws. */
  final void run(String function, int concurrency, int maxFrameBytes, ThreadPoolExecutor pool) {
    if (rounds == 0) {
      return;
    }
    long start = System.nanoTime();
    try {
      exchange(function, concurrency, maxFrameBytes, pool);
      if (log.isLoggable(Level.DEBUG)) {
        log.log(Level.DEBUG, "function " + function + ": warm-up of " + rounds + " rounds took "
            + (System.nanoTime() - start) / 1_000 / 1e3 + " ms");
      }
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.log(Level.WARNING, "function " + function + ": warm-up failed after "
          + (System.nanoTime() - start) / 1_000_000 + " ms; the first invocations pay for it: " + e);
    }
  }

  /** The exchanges themselves; throws when one goes wrong. */
  void exchange(String function, int concurrency, int maxFrameBytes, ThreadPoolExecutor pool) throws Exception {
    String name = function + "-warm-up";
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket daemonSocket = new Socket()) {
      server.setSoTimeout((int) TIMEOUT_MILLIS);
      daemonSocket.connect(server.getLocalSocketAddress(), (int) TIMEOUT_MILLIS);
      Socket wrapperSocket = server.accept();
      wrapperSocket.setTcpNoDelay(true);
      daemonSocket.setTcpNoDelay(true);
      FunctionSession session;
      try {
        session = new FunctionSession(name, HANDLER, concurrency, wrapperSocket, maxFrameBytes, pool, new WarmUp(0));
      } catch (IOException e) {
        wrapperSocket.close();
        throw e;
      }
      BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
      FrameChannel daemon = new FrameChannel(daemonSocket,
          new FrameReader(daemonSocket.getInputStream(), maxFrameBytes), maxFrameBytes, "ldd-sdk-warm-up", name);
      try {
        daemon.start(new FrameChannel.Listener() {
          @Override
          public void onFrame(Frame frame) {
            if (frame.hasPublish()) {
              daemon.send(Frame.newBuilder().setPublishAck(PublishAck.newBuilder()
                  .setPublishId(frame.getPublish().getPublishId()).setOk(true)).build());
            } else {
              received.add(frame);
            }
          }

          @Override
          public void onClose(Throwable cause) {
            received.add(CLOSED);
          }
        });
        session.startForWarmUp();
        long id = 0;
        for (int round = 0; round < rounds; round++) {
          for (String topic : new String[] {OK, ERROR, REJECT, PUBLISH}) {
            daemon.send(invoke(++id, topic));
            expectResult(received.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), topic);
          }
          if (concurrency > 1) { // two in flight: the second result may go through the writer thread
            daemon.send(invoke(++id, OK));
            daemon.send(invoke(++id, OK));
            expectResult(received.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), OK);
            expectResult(received.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), OK);
          }
          daemon.send(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(round)).build());
          Frame pong = received.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
          if (pong == null || !pong.hasPong()) {
            throw new IllegalStateException("expected a Pong, got " + describe(pong));
          }
        }
      } finally {
        session.close(); // first, so that it sees a close of its own, not the stand-in daemon's
        daemon.close(null);
      }
    }
  }

  private static Frame invoke(long id, String topic) {
    return Frame.newBuilder().setInvoke(Invoke.newBuilder()
            .setInvocationId("ldd-warm-up-" + id)
            .setTopic(topic)
            .setPayload(ByteString.copyFrom(new byte[256]))
            .putProperties("k", "v")
            .setMessageId("m")
            .setCorrelationId("c")
            .setReplyTo(PUBLISH)
            .setRedelivered(true)
            .setDeliveryCount(1)
            .setDeadlineUnixMillis(System.currentTimeMillis() + 10 * TIMEOUT_MILLIS))
        .build();
  }

  private static void expectResult(Frame frame, String topic) {
    dev.ldd.wire.proto.Result.Code expected = switch (topic) {
      case ERROR -> dev.ldd.wire.proto.Result.Code.ERROR;
      case REJECT -> dev.ldd.wire.proto.Result.Code.REJECT;
      default -> dev.ldd.wire.proto.Result.Code.OK;
    };
    if (frame == null || !frame.hasResult() || frame.getResult().getCode() != expected) {
      throw new IllegalStateException("expected a Result " + expected + " for " + topic + ", got " + describe(frame));
    }
  }

  private static String describe(Frame frame) {
    return frame == null ? "nothing within " + TIMEOUT_MILLIS + " ms"
        : frame == CLOSED ? "the connection closed" : frame.toString().replace('\n', ' ');
  }
}
