package dev.ldd.wire.transport;

import dev.ldd.core.InstanceLostException;
import dev.ldd.core.InvocationTimeoutException;
import dev.ldd.core.LddException;
import dev.ldd.core.ProtocolException;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import dev.ldd.core.spi.ReadyInfo;
import dev.ldd.wire.frame.Dialer;
import dev.ldd.wire.frame.FrameChannel;
import dev.ldd.wire.frame.IoLoop;
import dev.ldd.wire.frame.NioFrameChannel;
import dev.ldd.wire.frame.WireProtocolException;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.Publish;
import dev.ldd.wire.proto.Result;
import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One ready connection of a {@link TcpFunctionTransport}; the contract is {@link FunctionConnection}'s. */
final class TcpFunctionConnection implements FunctionConnection, FrameChannel.Listener {
  private static final Logger log = LoggerFactory.getLogger(TcpFunctionConnection.class);

  /** An invocation in flight: its future and when it is due. */
  private record Pending(Invocation invocation, long deadlineMillis, CompletableFuture<InvocationResult> future) {}

  private final String instanceId;
  private final ReadyInfo ready;
  private final NioFrameChannel channel;
  private final PublicationSink sink;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final long silenceLimitMillis;
  private final long pingAfterMillis;
  private final Consumer<TcpFunctionConnection> onClosed;
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  // Invocations whose deadline passed: the function may still answer them, which is not an error.
  private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile boolean closing;
  private volatile long lastReceivedMillis;
  private long pingNonce;
  private volatile ScheduledFuture<?> liveness;

  TcpFunctionConnection(String instanceId, ReadyInfo ready, Dialer.Dialed dialed, IoLoop loop, int maxFrameBytes,
      PublicationSink sink, Clock clock, ScheduledExecutorService timer, Duration pingInterval,
      Consumer<TcpFunctionConnection> onClosed) {
    this.instanceId = instanceId;
    this.ready = ready;
    this.channel = new NioFrameChannel(dialed.channel(), dialed.reader().takeBuffered(), loop, maxFrameBytes, instanceId);
    this.sink = sink;
    this.clock = clock;
    this.timer = timer;
    // Checked every quarter interval: ping after a quarter of silence, give up after three quarters,
    // so that a dead peer is noticed within one interval.
    long quarter = Math.max(1, pingInterval.toMillis() / 4);
    this.pingAfterMillis = quarter;
    this.silenceLimitMillis = 3 * quarter;
    this.onClosed = onClosed;
    this.lastReceivedMillis = clock.millis();
  }

  void start() throws IOException {
    channel.start(this);
    ScheduledFuture<?> check =
        timer.scheduleWithFixedDelay(this::checkLiveness, pingAfterMillis, pingAfterMillis, TimeUnit.MILLISECONDS);
    liveness = check;
    if (closing) { // closed meanwhile (the instance hung up at once): onClose may not have seen the check
      check.cancel(false);
    }
  }

  @Override
  public ReadyInfo ready() {
    return ready;
  }

  @Override
  public CompletableFuture<InvocationResult> invoke(Invocation invocation) {
    if (closing) {
      return CompletableFuture.failedFuture(lost("connection is closed"));
    }
    long remaining = invocation.deadline().toEpochMilli() - clock.millis();
    if (remaining <= 0) {
      return CompletableFuture.failedFuture(new InvocationTimeoutException("invocation " + invocation.id()
          + " on instance " + instanceId + ": deadline " + invocation.deadline() + " passed before it was sent"));
    }
    Frame frame = WireMapping.invoke(invocation);
    Pending pending = new Pending(invocation, invocation.deadline().toEpochMilli(), new CompletableFuture<>());
    boolean alone = inFlight.isEmpty();
    if (inFlight.putIfAbsent(invocation.id(), pending) != null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "invocation " + invocation.id() + " is already in flight on instance " + instanceId));
    }
    boolean sent;
    try {
      // Alone on the connection, the hand-over to the selector thread would be most of the latency:
      // write it here (non-blocking). With others in flight, let the selector thread batch the writes.
      sent = alone ? channel.sendNow(frame) : channel.send(frame);
    } catch (IllegalArgumentException tooLarge) {
      fail(invocation.id(), pending, new LddException(
          "invocation " + invocation.id() + " on instance " + instanceId + ": " + tooLarge.getMessage()));
      return pending.future();
    }
    if (!sent || closing) {
      fail(invocation.id(), pending, lost("connection is closed"));
    }
    return pending.future();
  }

  @Override
  public CompletableFuture<Void> closed() {
    return closed;
  }

  @Override
  public void close() {
    channel.close(null);
  }

  @Override
  public void onFrame(Frame frame) {
    lastReceivedMillis = clock.millis();
    switch (frame.getKindCase()) {
      case RESULT -> onResult(frame.getResult());
      case PUBLISH -> onPublish(frame.getPublish());
      case PONG -> { } // its arrival is all that counts
      case READY -> throw new WireProtocolException("second Ready frame");
      default -> throw new WireProtocolException(
          "unexpected " + frame.getKindCase() + " frame: it travels daemon -> function only");
    }
  }

  private void onResult(Result r) {
    InvocationResult result = WireMapping.result(r);
    Pending pending = inFlight.remove(r.getInvocationId());
    if (pending == null) {
      if (abandoned.remove(r.getInvocationId())) {
        log.debug("instance {}: late result for invocation {} ignored, its deadline had passed",
            instanceId, r.getInvocationId());
        return;
      }
      throw new WireProtocolException("Result for unknown invocation id '" + r.getInvocationId() + "'");
    }
    pending.future().complete(result);
  }

  private void onPublish(Publish p) {
    long publishId = p.getPublishId();
    if (!inFlight.containsKey(p.getInvocationId())) {
      if (abandoned.contains(p.getInvocationId())) {
        channel.send(WireMapping.publishAck(publishId,
            new IllegalStateException("invocation " + p.getInvocationId() + " has passed its deadline")));
        return;
      }
      throw new WireProtocolException("Publish for unknown invocation id '" + p.getInvocationId() + "'");
    }
    CompletionStage<Void> stage;
    try {
      Publication publication = WireMapping.publication(p);
      stage = sink.publish(p.getInvocationId(), publication);
    } catch (RuntimeException refused) {
      stage = CompletableFuture.failedFuture(refused);
    }
    stage.whenComplete((v, e) -> {
      Frame ack = WireMapping.publishAck(publishId, e);
      // The function waits for it: write it at once unless other invocations' frames can share a write.
      boolean alone = inFlight.size() <= 1;
      if (alone) {
        channel.sendNow(ack);
      } else {
        channel.send(ack);
      }
    });
  }

  /**
   * Fails the invocations whose deadline is at or before {@code nowMillis}. Called by the transport's
   * timer every few milliseconds: one sweep serves every deadline, so that sending an invocation costs
   * no timer operation.
   */
  void expireOverdue(long nowMillis) {
    for (Pending pending : inFlight.values()) {
      if (pending.deadlineMillis() <= nowMillis && inFlight.remove(pending.invocation().id(), pending)) {
        Invocation invocation = pending.invocation();
        abandoned.add(invocation.id());
        pending.future().completeExceptionally(new InvocationTimeoutException("invocation " + invocation.id()
            + " on instance " + instanceId + ": no result by its deadline " + invocation.deadline()));
      }
    }
  }

  private void checkLiveness() {
    long silence = clock.millis() - lastReceivedMillis;
    if (silence >= silenceLimitMillis) {
      channel.close(new IOException("no frame from the instance for " + silence + " ms (pings unanswered)"));
    } else if (silence >= pingAfterMillis) {
      channel.send(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(++pingNonce)).build());
    }
  }

  @Override
  public void onClose(Throwable cause) {
    closing = true;
    if (liveness != null) {
      liveness.cancel(false);
    }
    InstanceLostException lost = lostBecause(cause);
    for (String id : inFlight.keySet()) {
      Pending pending = inFlight.remove(id);
      if (pending != null) {
        pending.future().completeExceptionally(lost);
      }
    }
    abandoned.clear();
    onClosed.accept(this);
    closed.complete(null);
  }

  private InstanceLostException lostBecause(Throwable cause) {
    if (cause == null) {
      log.debug("instance {}: connection closed by the daemon", instanceId);
      return lost("connection closed by the daemon");
    }
    if (cause instanceof WireProtocolException) {
      log.warn("instance {} broke the wire protocol, closing its connection: {}", instanceId, cause.getMessage());
      return new InstanceLostException("instance " + instanceId + ": connection closed, it broke the wire protocol: "
          + cause.getMessage(), new ProtocolException("instance " + instanceId + ": " + cause.getMessage(), cause));
    }
    String why = cause instanceof EOFException ? "the instance closed the connection" : "connection lost: " + cause.getMessage();
    log.warn("instance {}: {}", instanceId, why);
    return new InstanceLostException("instance " + instanceId + ": " + why, cause);
  }

  private InstanceLostException lost(String why) {
    return new InstanceLostException("instance " + instanceId + ": " + why);
  }

  private void fail(String id, Pending pending, LddException e) {
    if (inFlight.remove(id, pending)) {
      pending.future().completeExceptionally(e);
    }
  }

  @Override
  public String toString() {
    return "TcpFunctionConnection[" + instanceId + ", " + ready.function() + ", inFlight=" + inFlight.size() + "]";
  }
}
