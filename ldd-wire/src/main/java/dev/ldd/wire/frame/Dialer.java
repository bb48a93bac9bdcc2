package dev.ldd.wire.frame;

import dev.ldd.wire.proto.Frame;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Connects to a wrapper and waits for its first frame, retrying until one arrives or a deadline passes.
 * A TCP connect alone proves nothing: Docker's port proxy accepts connections before the process
 * inside listens and then drops them, so an attempt counts only once a frame has arrived.
 *
 * <p>One dialer serves one {@link #dial} call, which blocks; {@link #cancel} may be called from any
 * thread.
 */
public final class Dialer {
  /**
   * A connected socket, the reader that read its first frame, and that frame. The socket is a
   * {@link SocketChannel}'s, in blocking mode: usable as a plain socket, or handed over to a
   * {@link NioFrameChannel} with the bytes the reader buffered.
   */
  public record Dialed(Socket socket, FrameReader reader, Frame first) {
    /** The socket's channel. */
    public SocketChannel channel() {
      return socket.getChannel();
    }
  }

  private final InetSocketAddress address;
  private final Duration connectTimeout;
  private final Duration retryInterval;
  private final int maxFrameBytes;
  private final Clock clock;
  private volatile boolean cancelled;
  private volatile Socket attempt;

  public Dialer(
      InetSocketAddress address, Duration connectTimeout, Duration retryInterval, int maxFrameBytes, Clock clock) {
    this.address = address;
    this.connectTimeout = connectTimeout;
    this.retryInterval = retryInterval;
    this.maxFrameBytes = maxFrameBytes;
    this.clock = clock;
  }

  /**
   * Dials until the first frame arrives.
   *
   * @throws TimeoutException when {@code deadline} passes first; the message gives the last failure
   * @throws WireProtocolException when the first bytes are not a valid frame (not retried)
   * @throws CancellationException after {@link #cancel}
   */
  public Dialed dial(Instant deadline) throws TimeoutException, InterruptedException {
    String lastFailure = "no attempt";
    int attempts = 0;
    while (true) {
      long remaining = Duration.between(clock.instant(), deadline).toMillis();
      if (cancelled) {
        throw new CancellationException("dialing " + address + " was cancelled");
      }
      if (remaining <= 0) {
        throw new TimeoutException(attempts + " attempt(s), last: " + lastFailure);
      }
      attempts++;
      Socket socket;
      try {
        socket = SocketChannel.open().socket();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a socket to " + address, e);
      }
      attempt = socket;
      try {
        socket.setTcpNoDelay(true);
        socket.connect(address, (int) Math.max(1, Math.min(connectTimeout.toMillis(), remaining)));
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining)));
        FrameReader reader = new FrameReader(socket.getInputStream(), maxFrameBytes);
        Frame first = reader.read();
        if (first != null) {
          socket.setSoTimeout(0);
          attempt = null;
          if (cancelled) {
            closeQuietly(socket);
            throw new CancellationException("dialing " + address + " was cancelled");
          }
          return new Dialed(socket, reader, first);
        }
        lastFailure = "connection closed before the first frame";
      } catch (SocketTimeoutException e) {
        lastFailure = "connected, but no frame arrived";
      } catch (EOFException e) {
        lastFailure = "connection closed before the first frame";
      } catch (IOException e) {
        lastFailure = e.toString();
      } catch (RuntimeException e) {
        closeQuietly(socket);
        throw e;
      }
      closeQuietly(socket);
      attempt = null;
      long pause = Math.min(retryInterval.toMillis(), Duration.between(clock.instant(), deadline).toMillis());
      if (pause > 0 && !cancelled) {
        Thread.sleep(pause);
      }
    }
  }

  /** Stops a {@link #dial} in progress, closing its current attempt. */
  public void cancel() {
    cancelled = true;
    Socket s = attempt;
    if (s != null) {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
