package dev.ldd.wire.sdk;

import static java.util.Objects.requireNonNull;

import dev.ldd.wire.frame.FrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The Java wrapper: serves one {@link Handler} to one LDD daemon over the wire protocol (PROTOCOL.md).
 * It listens on a TCP port, accepts exactly one daemon connection, announces itself with a Ready frame,
 * runs invocations on a pool of as many threads as the declared concurrency, and ends when the daemon
 * closes the connection or sends Shutdown.
 *
 * <p>Before it announces Ready it warms its own invocation path up, without calling the handler: a few
 * rounds of invocations through a second session over a loopback connection of its own, so that a
 * prewarmed instance's first message does not pay for loading and first runs of the wrapper's code. The
 * system property {@code ldd.sdk.warmUpRounds} sets how many rounds (default 1; 0 for none).
 *
 * <p>In a container, {@link #serve} is the whole {@code main}. Tests and embedders build one with
 * {@link #builder}, {@link #bind()} it and call {@link #run()} on a thread of their own.
 */
public final class LddFunction implements AutoCloseable {
  /** The environment variable the daemon passes the port to listen on in. */
  public static final String PORT_ENV = "LDD_PORT";
  /** The environment variable that, when set, overrides the function name. */
  public static final String FUNCTION_ENV = "LDD_FUNCTION";

  /** Why {@link #run()} returned, and the process exit status {@link #serve} uses for it. */
  public enum Exit {
    /** The daemon closed the connection: the normal end of a warm instance. */
    DAEMON_CLOSED(0),
    /** The daemon sent Shutdown and the invocations in flight were given their grace period. */
    SHUTDOWN(0),
    /** {@link #close()} was called. */
    CLOSED(0),
    /** The daemon broke the wire protocol. */
    PROTOCOL_ERROR(2),
    /** The connection failed. */
    CONNECTION_LOST(1);

    private final int status;

    Exit(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final String function;
  private final Handler handler;
  private final int concurrency;
  private final InetSocketAddress bindAddress;
  private final int maxFrameBytes;
  private final WarmUp warmUp;
  private ServerSocket server;
  private volatile FunctionSession session;
  private volatile boolean closed;

  private LddFunction(Builder b) {
    this.function = b.function;
    this.handler = b.handler;
    this.concurrency = b.concurrency;
    this.bindAddress = new InetSocketAddress(b.address, b.port);
    this.maxFrameBytes = b.maxFrameBytes;
    this.warmUp = b.warmUp != null ? b.warmUp : WarmUp.fromSystemProperty();
  }

  /**
   * Serves {@code handler} the way a container's {@code main} should: listens on port {@code $LDD_PORT}
   * on every interface, names the function {@code $LDD_FUNCTION} when set, and exits the process when
   * the daemon is done with it. Never returns.
   */
  public static void serve(String functionName, Handler handler, int concurrency) {
    String port = System.getenv(PORT_ENV);
    if (port == null || port.isBlank()) {
      System.err.println("ldd: environment variable " + PORT_ENV + " is not set; the daemon sets it");
      System.exit(64);
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      System.err.println("ldd: environment variable " + PORT_ENV + " must be a port number, was '" + port + "'");
      System.exit(64);
      return;
    }
    String name = System.getenv(FUNCTION_ENV);
    LddFunction fn = builder(name == null || name.isBlank() ? functionName : name, handler)
        .concurrency(concurrency)
        .port(portNumber)
        .build();
    Exit exit = fn.run();
    System.exit(exit.status());
  }

  /** A wrapper for {@code handler} serving {@code functionName}; concurrency 1 and port 0 unless set. */
  public static Builder builder(String functionName, Handler handler) {
    return new Builder(functionName, handler);
  }

  /**
   * Binds the listening socket if not yet bound and returns its port (useful with port 0). Thread-safe.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public synchronized int bind() {
    if (server == null) {
      try {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bindAddress, 1);
        server = s;
      } catch (IOException e) {
        throw new UncheckedIOException("function " + function + ": cannot listen on " + bindAddress + ": " + e, e);
      }
    }
    return server.getLocalPort();
  }

  /**
   * Binds if needed, waits for the daemon's connection, serves it and returns once it has ended. Blocks
   * the calling thread throughout; call once.
   */
  public Exit run() {
    bind();
    Socket socket;
    try (ServerSocket s = server) {
      socket = s.accept(); // exactly one daemon connection per instance
    } catch (IOException e) {
      return closed ? Exit.CLOSED : Exit.CONNECTION_LOST;
    }
    try {
      socket.setTcpNoDelay(true);
      FunctionSession s = new FunctionSession(function, handler, concurrency, socket, maxFrameBytes, warmUp);
      session = s;
      if (closed) {
        s.close();
      }
      return s.run();
    } catch (IOException e) {
      return Exit.CONNECTION_LOST;
    }
  }

  /** Stops {@link #run()}: stops listening, or closes the daemon connection. Idempotent; thread-safe. */
  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (server != null) {
        try {
          server.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    FunctionSession s = session;
    if (s != null) {
      s.close();
    }
  }

  /** Settings of an {@link LddFunction}. Not thread-safe. */
  public static final class Builder {
    private final String function;
    private final Handler handler;
    private int concurrency = 1;
    private int port;
    private InetAddress address;
    private int maxFrameBytes = FrameReader.DEFAULT_MAX_FRAME_BYTES;
    private WarmUp warmUp;

    private Builder(String function, Handler handler) {
      this.function = requireNonNull(function, "functionName");
      if (function.isEmpty()) {
        throw new IllegalArgumentException("functionName must not be empty");
      }
      this.handler = requireNonNull(handler, "handler");
    }

    /** How many invocations run at once; announced to the daemon. Default 1. */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /** The port to listen on; 0 picks a free one (see {@link LddFunction#bind()}). Default 0. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on. Default: every interface (a container's port is published from it). */
    public Builder address(InetAddress address) {
      this.address = address;
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

    /** The warm-up to run before Ready; by default from the system property. For tests. */
    Builder warmUp(WarmUp warmUp) {
      this.warmUp = requireNonNull(warmUp, "warmUp");
      return this;
    }

    public LddFunction build() {
      return new LddFunction(this);
    }
  }
}
