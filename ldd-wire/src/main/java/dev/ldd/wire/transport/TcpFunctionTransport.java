package dev.ldd.wire.transport;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.PlatformException;
import dev.ldd.core.ProtocolException;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.PublicationSink;
import dev.ldd.core.spi.ReadyInfo;
import dev.ldd.wire.frame.Dialer;
import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.frame.IoLoop;
import dev.ldd.wire.frame.WireProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FunctionTransport} of the LDD wire protocol (PROTOCOL.md) over TCP.
 *
 * <p>Threads: a few selector threads per transport ({@code ldd-wire-io-<n>}, see
 * {@link Builder#ioThreads}) read every connection, each connection served by one of them; frames to
 * an instance are written by the thread that sends them, with non-blocking writes (when a socket's
 * send buffer is full, its selector thread writes the rest once it drains). Each {@link #connect}
 * runs on a short-lived {@code ldd-wire-connect-<instance>} thread until the wrapper's Ready frame
 * arrives; one {@code ldd-wire-timer} thread per transport sweeps deadlines and sends pings. No
 * thread per connection, and no thread or timer task per invocation. Futures complete on the
 * selector and timer threads, so dependent stages must not block: a blocked stage holds up every
 * connection its selector thread serves. Thread-safe.
 */
public final class TcpFunctionTransport implements FunctionTransport {
  private static final Logger log = LoggerFactory.getLogger(TcpFunctionTransport.class);

  private final Clock clock;
  private final int maxFrameBytes;
  private final Duration pingInterval;
  private final Duration connectTimeout;
  private final Duration retryInterval;
  private final ScheduledThreadPoolExecutor timer;
  private final IoLoop[] ioLoops;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final Set<TcpFunctionConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Dialer> dialing = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private TcpFunctionTransport(Builder b) {
    this.clock = b.clock;
    this.maxFrameBytes = b.maxFrameBytes;
    this.pingInterval = b.pingInterval;
    this.connectTimeout = b.connectTimeout;
    this.retryInterval = b.retryInterval;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "ldd-wire-timer");
      t.setDaemon(true);
      return t;
    });
    this.ioLoops = new IoLoop[b.ioThreads];
    for (int i = 0; i < ioLoops.length; i++) {
      ioLoops[i] = new IoLoop("ldd-wire-io-" + i);
    }
    long sweep = b.deadlineSweepInterval.toMillis();
    this.timer.scheduleWithFixedDelay(this::expireOverdue, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A transport with every default. */
  public static TcpFunctionTransport create() {
    return builder().build();
  }

  @Override
  public CompletableFuture<FunctionConnection> connect(
      String instanceId, Endpoint endpoint, Duration startTimeout, PublicationSink sink) {
    requireNonNull(instanceId, "instanceId");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(startTimeout, "startTimeout");
    requireNonNull(sink, "sink");
    CompletableFuture<FunctionConnection> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new PlatformException("instance " + instanceId + ": the transport is closed"));
      return result;
    }
    Instant deadline = clock.instant().plus(startTimeout);
    Dialer dialer = new Dialer(
        new InetSocketAddress(endpoint.host(), endpoint.port()), connectTimeout, retryInterval, maxFrameBytes, clock);
    dialing.add(dialer);
    result.whenComplete((c, e) -> {
      if (result.isCancelled()) {
        dialer.cancel();
      }
    });
    Thread t = new Thread(
        () -> dial(instanceId, endpoint, startTimeout, sink, dialer, deadline, result),
        "ldd-wire-connect-" + instanceId);
    t.setDaemon(true);
    t.start();
    return result;
  }

  private void dial(String instanceId, Endpoint endpoint, Duration startTimeout, PublicationSink sink,
      Dialer dialer, Instant deadline, CompletableFuture<FunctionConnection> result) {
    try {
      Dialer.Dialed dialed = dialer.dial(deadline);
      ReadyInfo ready;
      try {
        ready = WireMapping.readyInfo(instanceId, dialed.first());
      } catch (ProtocolException e) {
        dialed.socket().close();
        throw e;
      }
      IoLoop loop = ioLoops[Math.floorMod(nextLoop.getAndIncrement(), ioLoops.length)];
      TcpFunctionConnection connection = new TcpFunctionConnection(
          instanceId, ready, dialed, loop, maxFrameBytes, sink, clock, timer, pingInterval, connections::remove);
      connections.add(connection);
      try {
        connection.start();
      } catch (IOException e) {
        connection.close();
        throw e;
      }
      log.debug("instance {} at {} is ready: {}", instanceId, endpoint, ready);
      if (!result.complete(connection) || closed) {
        connection.close();
      }
    } catch (TimeoutException e) {
      result.completeExceptionally(new PlatformException("instance " + instanceId + " at " + endpoint
          + " sent no Ready frame within " + startTimeout + " (" + e.getMessage() + ")"));
    } catch (WireProtocolException e) {
      result.completeExceptionally(
          new ProtocolException("instance " + instanceId + " at " + endpoint + ": " + e.getMessage(), e));
    } catch (ProtocolException e) {
      result.completeExceptionally(e);
    } catch (CancellationException e) {
      result.completeExceptionally(new PlatformException("instance " + instanceId + ": connecting was cancelled", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(new PlatformException("instance " + instanceId + ": connecting was interrupted", e));
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(
          new PlatformException("instance " + instanceId + " at " + endpoint + ": connecting failed: " + e, e));
    } finally {
      dialing.remove(dialer);
    }
  }

  private void expireOverdue() {
    long now = clock.millis();
    for (TcpFunctionConnection c : connections) {
      c.expireOverdue(now);
    }
  }

  @Override
  public void close() {
    closed = true;
    dialing.forEach(Dialer::cancel);
    List.copyOf(connections).forEach(TcpFunctionConnection::close);
    timer.shutdownNow();
    for (IoLoop loop : ioLoops) {
      loop.close();
    }
  }

  /** Settings of a {@link TcpFunctionTransport}; every one has a default. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int maxFrameBytes = FrameReader.DEFAULT_MAX_FRAME_BYTES;
    private Duration pingInterval = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration retryInterval = Duration.ofMillis(20);
    private Duration deadlineSweepInterval = Duration.ofMillis(10);
    private int ioThreads = defaultIoThreads();

    private Builder() {}

    private static int defaultIoThreads() {
      return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * How many selector threads read the connections (each connection is served by one, assigned in
     * turn). Default: half the available processors, at least 1 and at most 4.
     */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1 || ioThreads > 64) {
        throw new IllegalArgumentException("ioThreads must be 1..64, was " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /** The clock that deadlines, start timeouts and liveness are measured on. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The largest frame accepted or sent, in bytes. Default 16 MiB. */
    public Builder maxFrameBytes(int maxFrameBytes) {
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + maxFrameBytes);
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /**
     * The longest an instance may stay silent: the daemon pings an idle connection and closes it as
     * lost when no frame arrived for this long. Default 10 s.
     */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = positive(pingInterval, "pingInterval");
      return this;
    }

    /** The timeout of one TCP connect attempt. Default 1 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** The pause between two connect attempts while an instance starts. Default 20 ms. */
    public Builder retryInterval(Duration retryInterval) {
      this.retryInterval = positive(retryInterval, "retryInterval");
      return this;
    }

    /**
     * How often invocation deadlines are checked: an invocation fails at most this long after its
     * deadline. Default 10 ms.
     */
    public Builder deadlineSweepInterval(Duration interval) {
      this.deadlineSweepInterval = positive(interval, "deadlineSweepInterval");
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("deadlineSweepInterval must be >= 1 ms, was " + interval);
      }
      return this;
    }

    public TcpFunctionTransport build() {
      return new TcpFunctionTransport(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
