package dev.ldd.wire.testing;

import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.frame.FrameWriter;
import dev.ldd.wire.proto.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/**
 * One end of a connection driven by a test script frame by frame: a fake wrapper talking to the real
 * transport, or a fake daemon talking to the real wrapper. Reads time out after 10 s.
 */
public final class Peer implements AutoCloseable {
  private final Socket socket;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final OutputStream out;

  public Peer(Socket socket) {
    try {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      this.reader = new FrameReader(socket.getInputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
      this.out = socket.getOutputStream();
      this.writer = new FrameWriter(out, FrameReader.DEFAULT_MAX_FRAME_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Peer connect(int port) {
    try {
      return new Peer(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Peer send(Frame frame) {
    try {
      writer.write(frame);
      writer.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes bytes as they are, framing or not. */
  public Peer sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, or null when the other end closed the connection. */
  public Frame next() {
    try {
      return reader.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame that is not a Ping (a fake wrapper that does not care about liveness). */
  public Frame nextIgnoringPings() {
    Frame f;
    do {
      f = next();
    } while (f != null && f.hasPing());
    return f;
  }

  /** Reads until the other end closes the connection; returns whether it did so within the timeout. */
  public boolean awaitClosed() {
    try {
      while (reader.read() != null) {
        // drain
      }
      return true;
    } catch (IOException e) {
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
