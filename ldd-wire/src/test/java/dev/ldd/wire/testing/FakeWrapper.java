package dev.ldd.wire.testing;

import dev.ldd.core.spi.Endpoint;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ready;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A listening socket whose connections the test drives frame by frame with a {@link Peer}. */
public final class FakeWrapper implements AutoCloseable {
  private final ServerSocket server;

  public FakeWrapper() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      server.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", server.getLocalPort());
  }

  public Peer accept() {
    try {
      return new Peer(server.accept());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Accepts a connection and sends a valid 1.0 Ready for {@code function}. */
  public Peer acceptReady(String function, int concurrency) {
    return accept().send(ready(1, 0, function, concurrency));
  }

  public static Frame ready(int major, int minor, String function, int concurrency) {
    return Frame.newBuilder().setReady(Ready.newBuilder().setProtocolMajor(major).setProtocolMinor(minor)
        .setFunction(function).setMaxConcurrency(concurrency).setRuntimeInfo("fake")).build();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
