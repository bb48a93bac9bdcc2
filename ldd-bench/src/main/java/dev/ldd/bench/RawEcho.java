package dev.ldd.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The baseline: a plain loopback TCP connection to an echo thread that sends every fixed-size frame
 * back, flushing whenever its input runs dry. No protobuf, no queues, no futures.
 */
final class RawEcho implements AutoCloseable {
  /** A 256-byte payload behind its two-byte varint length prefix, like an LDD frame of that payload. */
  static final int FRAME_BYTES = LddLoopback.PAYLOAD_BYTES + 2;

  private final ServerSocket server;
  private final Socket client;
  final InputStream in;
  final OutputStream out;
  final byte[] frame = new byte[FRAME_BYTES];
  private final byte[] answer = new byte[FRAME_BYTES];

  RawEcho() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread echo = new Thread(this::echo, "bench-raw-echo");
    echo.setDaemon(true);
    echo.start();
    client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    client.setTcpNoDelay(true);
    in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
    out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
    frame[0] = (byte) (0x80 | (LddLoopback.PAYLOAD_BYTES & 0x7f));
    frame[1] = (byte) (LddLoopback.PAYLOAD_BYTES >>> 7);
  }

  /** One frame there and back. */
  int pingPong() throws IOException {
    out.write(frame);
    out.flush();
    return readAnswer();
  }

  int readAnswer() throws IOException {
    int n = in.readNBytes(answer, 0, FRAME_BYTES);
    if (n != FRAME_BYTES) {
      throw new IOException("echo closed");
    }
    return answer[FRAME_BYTES - 1];
  }

  private void echo() {
    try (Socket s = server.accept()) {
      s.setTcpNoDelay(true);
      InputStream sin = new BufferedInputStream(s.getInputStream(), 64 * 1024);
      OutputStream sout = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      byte[] buf = new byte[FRAME_BYTES];
      while (sin.readNBytes(buf, 0, FRAME_BYTES) == FRAME_BYTES) {
        sout.write(buf);
        if (sin.available() == 0) {
          sout.flush();
        }
      }
    } catch (IOException e) {
      // closed by the benchmark
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
  }
}
