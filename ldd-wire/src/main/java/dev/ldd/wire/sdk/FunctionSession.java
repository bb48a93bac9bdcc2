package dev.ldd.wire.sdk;

import dev.ldd.wire.frame.FrameChannel;
import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.frame.ProtocolVersion;
import dev.ldd.wire.frame.WireProtocolException;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Pong;
import dev.ldd.wire.proto.Publish;
import dev.ldd.wire.proto.PublishAck;
import dev.ldd.wire.proto.Ready;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wrapper's side of one daemon connection: dispatches Invoke frames to the handler on a bounded
 * pool, routes PublishAcks to the publishes waiting for them, answers pings, honours Shutdown.
 */
final class FunctionSession implements FrameChannel.Listener {
  private static final System.Logger log = System.getLogger(FunctionSession.class.getName());
  // A publish waits for its ack until the invocation's deadline plus this; the daemon answers late
  // publishes promptly with a refusal, so this only matters when the daemon is stuck.
  private static final long ACK_GRACE_MILLIS = 2_000;

  private final String function;
  private final Handler handler;
  private final int concurrency;
  private final int maxFrameBytes;
  private final FrameChannel channel;
  private final ThreadPoolExecutor pool;
  private final WarmUp warmUp;
  private final Map<Long, CompletableFuture<PublishAck>> publishes = new ConcurrentHashMap<>();
  private final AtomicLong publishIds = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final CompletableFuture<LddFunction.Exit> ended = new CompletableFuture<>();
  private final CompletableFuture<Void> channelClosed = new CompletableFuture<>();
  private volatile boolean shuttingDown;
  private volatile long shutdownGraceMillis;

  FunctionSession(String function, Handler handler, int concurrency, Socket socket, int maxFrameBytes,
      WarmUp warmUp) throws IOException {
    this(function, handler, concurrency, socket, maxFrameBytes, newPool(function, concurrency), warmUp);
  }

  /**
   * A session on {@code pool}, which it may share: the warm-up runs one on the real session's threads,
   * with a {@code warmUp} that does nothing.
   */
  FunctionSession(String function, Handler handler, int concurrency, Socket socket, int maxFrameBytes,
      ThreadPoolExecutor pool, WarmUp warmUp) throws IOException {
    this.function = function;
    this.handler = handler;
    this.concurrency = concurrency;
    this.maxFrameBytes = maxFrameBytes;
    this.channel = new FrameChannel(
        socket, new FrameReader(socket.getInputStream(), maxFrameBytes), maxFrameBytes, "ldd-sdk", function);
    this.pool = pool;
    this.warmUp = warmUp;
  }

  private static ThreadPoolExecutor newPool(String function, int concurrency) {
    AtomicInteger threads = new AtomicInteger();
    // The queue's slack absorbs the moment between a worker sending its Result and taking the next
    // task, when the daemon may already have sent the next Invoke. A LinkedBlockingQueue wakes a
    // worker only when it turns non-empty (an ArrayBlockingQueue signals on every offer), which
    // saves a thread wake-up per invocation under load.
    return new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(concurrency), r -> {
          Thread t = new Thread(r, "ldd-sdk-invoke-" + function + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  LddFunction.Exit run() {
    warmUp();
    channel.start(this);
    channel.send(Frame.newBuilder().setReady(Ready.newBuilder()
            .setProtocolMajor(ProtocolVersion.CURRENT.major())
            .setProtocolMinor(ProtocolVersion.CURRENT.minor())
            .setFunction(function)
            .setMaxConcurrency(concurrency)
            .setRuntimeInfo("java " + System.getProperty("java.version") + "; ldd-wire sdk"))
        .build());
    LddFunction.Exit exit = ended.join();
    if (exit == LddFunction.Exit.SHUTDOWN) {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(shutdownGraceMillis, TimeUnit.MILLISECONDS)) {
          log.log(Level.WARNING, "function {0}: invocations still running after the shutdown grace", function);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel.closeAfterFlush();
      channelClosed.join();
    }
    pool.shutdownNow();
    return exit;
  }

  /**
   * Runs the wrapper's own invocation path before announcing Ready, without the handler: the invocation
   * threads, and Invokes, Results, a Publish and a Ping exchanged through a real session over a loopback
   * connection of its own (see {@link WarmUp}). Otherwise the first real message, even on a prewarmed
   * instance, pays for loading, linking and interpreting all of it. Failing only logs.
   */
  private void warmUp() {
    pool.prestartAllCoreThreads();
    warmUp.run(function, concurrency, maxFrameBytes, pool);
  }

  /** Starts the session's channel, for the warm-up, which needs no Ready. */
  void startForWarmUp() {
    channel.start(this);
  }

  void close() {
    channel.close(null);
  }

  @Override
  public void onFrame(Frame frame) {
    switch (frame.getKindCase()) {
      case INVOKE -> onInvoke(frame.getInvoke());
      case PUBLISH_ACK -> {
        CompletableFuture<PublishAck> waiting = publishes.remove(frame.getPublishAck().getPublishId());
        if (waiting == null) {
          throw new WireProtocolException("PublishAck for unknown publish id " + frame.getPublishAck().getPublishId());
        }
        waiting.complete(frame.getPublishAck());
      }
      case PING -> channel.send(Frame.newBuilder().setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
      case SHUTDOWN -> {
        shutdownGraceMillis = Integer.toUnsignedLong(frame.getShutdown().getGraceMillis());
        shuttingDown = true;
        ended.complete(LddFunction.Exit.SHUTDOWN);
      }
      default -> throw new WireProtocolException(
          "unexpected " + frame.getKindCase() + " frame: it travels function -> daemon only");
    }
  }

  @Override
  public void onClose(Throwable cause) {
    for (Long id : publishes.keySet()) {
      CompletableFuture<PublishAck> waiting = publishes.remove(id);
      if (waiting != null) {
        waiting.completeExceptionally(new PublishException("the connection to the daemon closed"));
      }
    }
    LddFunction.Exit exit;
    if (cause == null) {
      exit = LddFunction.Exit.CLOSED;
    } else if (cause instanceof EOFException) {
      exit = LddFunction.Exit.DAEMON_CLOSED;
    } else if (cause instanceof WireProtocolException) {
      log.log(Level.ERROR, "function {0}: the daemon broke the wire protocol: {1}", function, cause.getMessage());
      exit = LddFunction.Exit.PROTOCOL_ERROR;
    } else {
      log.log(Level.WARNING, "function {0}: connection to the daemon lost: {1}", function, cause.toString());
      exit = LddFunction.Exit.CONNECTION_LOST;
    }
    ended.complete(exit);
    channelClosed.complete(null);
  }

  private void onInvoke(Invoke invoke) {
    if (invoke.getInvocationId().isEmpty()) {
      throw new WireProtocolException("Invoke frame with no invocation_id");
    }
    if (shuttingDown) {
      sendResult(invoke.getInvocationId(), Result.error("function " + function + " is shutting down"));
      return;
    }
    running.incrementAndGet();
    try {
      pool.execute(() -> runInvocation(invoke));
    } catch (RejectedExecutionException e) {
      running.decrementAndGet();
      sendResult(invoke.getInvocationId(), Result.error(
          "function " + function + " is over its declared concurrency of " + concurrency));
    }
  }

  private void runInvocation(Invoke invoke) {
    Invocation invocation = toInvocation(invoke);
    InvocationContext context = new InvocationContext(invocation);
    Result result;
    try {
      result = handler.handle(invocation, context);
      if (result == null) {
        result = Result.error("the handler returned null");
      }
    } catch (Exception | Error e) {
      log.log(Level.DEBUG, "function " + function + ": invocation " + invocation.id() + " failed", e);
      result = Result.error(e.getMessage() != null ? e.getMessage() : e.getClass().getName());
    } finally {
      context.finished = true;
    }
    // Alone, write it on this thread: the hand-over to the writer thread is a good part of a round
    // trip. With others in flight, queue it so that the writer batches their results into one flush.
    if (running.decrementAndGet() == 0) {
      channel.sendNow(resultFrame(invocation.id(), result));
    } else {
      channel.send(resultFrame(invocation.id(), result));
    }
  }

  private static Invocation toInvocation(Invoke invoke) {
    return new Invocation(
        invoke.getInvocationId(),
        invoke.getTopic(),
        invoke.getPayload().toByteArray(),
        invoke.getPropertiesMap(),
        emptyToNull(invoke.getMessageId()),
        emptyToNull(invoke.getCorrelationId()),
        emptyToNull(invoke.getReplyTo()),
        invoke.getRedelivered(),
        invoke.getDeliveryCount() == 0 ? OptionalInt.empty() : OptionalInt.of(invoke.getDeliveryCount()),
        invoke.getDeadlineUnixMillis() == 0 ? Instant.MAX : Instant.ofEpochMilli(invoke.getDeadlineUnixMillis()));
  }

  private void sendResult(String invocationId, Result result) {
    channel.send(resultFrame(invocationId, result));
  }

  private static Frame resultFrame(String invocationId, Result result) {
    return Frame.newBuilder().setResult(dev.ldd.wire.proto.Result.newBuilder()
            .setInvocationId(invocationId)
            .setCode(switch (result.code()) {
              case OK -> dev.ldd.wire.proto.Result.Code.OK;
              case ERROR -> dev.ldd.wire.proto.Result.Code.ERROR;
              case REJECT -> dev.ldd.wire.proto.Result.Code.REJECT;
            })
            .setError(result.error()))
        .build();
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /** The {@link Context} of one invocation. */
  private final class InvocationContext implements Context {
    private final Invocation invocation;
    volatile boolean finished;

    InvocationContext(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public void publish(String topic, byte[] payload, Map<String, String> properties) {
      send(topic, payload, properties, null);
    }

    @Override
    public void reply(byte[] payload, Map<String, String> properties) {
      if (invocation.replyTo() == null) {
        throw new IllegalStateException("invocation " + invocation.id() + " has no reply-to destination to reply to");
      }
      send(invocation.replyTo(), payload, properties, invocation.correlationId());
    }

    private void send(String topic, byte[] payload, Map<String, String> properties, String correlationId) {
      if (topic == null || topic.isEmpty()) {
        throw new IllegalArgumentException("topic must not be empty");
      }
      if (finished) {
        throw new IllegalStateException(
            "invocation " + invocation.id() + " has already returned; publish before returning from the handler");
      }
      long publishId = publishIds.incrementAndGet();
      Publish.Builder publish = Publish.newBuilder()
          .setInvocationId(invocation.id())
          .setPublishId(publishId)
          .setTopic(topic)
          .setPayload(com.google.protobuf.ByteString.copyFrom(payload))
          .setCorrelationId(correlationId == null ? "" : correlationId);
      if (properties != null) {
        publish.putAllProperties(properties);
      }
      CompletableFuture<PublishAck> ack = new CompletableFuture<>();
      publishes.put(publishId, ack);
      boolean sent;
      try {
        sent = channel.send(Frame.newBuilder().setPublish(publish).build());
      } catch (IllegalArgumentException tooLarge) {
        publishes.remove(publishId);
        throw new PublishException("publish to '" + topic + "' not sent: " + tooLarge.getMessage());
      }
      if (!sent) {
        publishes.remove(publishId);
        throw new PublishException("publish to '" + topic + "' not sent: the connection to the daemon is closed");
      }
      PublishAck answer = await(ack, publishId, topic);
      if (!answer.getOk()) {
        throw new PublishException("the daemon refused the publish to '" + topic + "': " + answer.getError());
      }
    }

    private PublishAck await(CompletableFuture<PublishAck> ack, long publishId, String topic) {
      try {
        if (invocation.deadline().equals(Instant.MAX)) {
          return ack.get();
        }
        long wait = Math.max(0, invocation.deadline().toEpochMilli() - System.currentTimeMillis()) + ACK_GRACE_MILLIS;
        return ack.get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        publishes.remove(publishId);
        throw new PublishException("no answer from the daemon to the publish to '" + topic
            + "' by the invocation's deadline " + invocation.deadline());
      } catch (ExecutionException e) {
        throw new PublishException("publish to '" + topic + "' failed: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        publishes.remove(publishId);
        throw new PublishException("interrupted while waiting for the daemon to accept the publish to '" + topic + "'");
      }
    }
  }
}
