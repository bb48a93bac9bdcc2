package dev.ldd.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The physical baseline of the full path: one TCP connection to an {@link dev.ldd.bench.fn.EchoServer},
 * frames of the payload behind its varint length prefix (the size of an LDD frame of that payload).
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] frame;
  private final byte[] answer;

  RawClient(String host, int port, int payloadBytes) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
    int prefix = payloadBytes < 128 ? 1 : payloadBytes < 16384 ? 2 : 3;
    frame = new byte[prefix + payloadBytes];
    int v = payloadBytes;
    for (int i = 0; i < prefix; i++) {
      frame[i] = (byte) (i == prefix - 1 ? v & 0x7f : 0x80 | (v & 0x7f));
      v >>>= 7;
    }
    answer = new byte[frame.length];
  }

  /** One frame there and back; nanoseconds. */
  long pingPong() throws IOException {
    long t0 = System.nanoTime();
    out.write(frame);
    out.flush();
    if (in.readNBytes(answer, 0, answer.length) != answer.length) {
      throw new IOException("echo closed");
    }
    return System.nanoTime() - t0;
  }

  /**
   * Frames per second with up to {@code window} frames in flight for {@code millis}, after
   * {@code warmupMillis}. The writer flushes when the window is full; a reader thread counts the echoes.
   */
  double pipelined(int window, long warmupMillis, long millis) throws Exception {
    Semaphore permits = new Semaphore(window);
    LongAdder received = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[256 * 1024];
      long bytes = 0;
      try {
        while (true) {
          int n = in.read(buf);
          if (n < 0) {
            return;
          }
          bytes += n;
          int frames = (int) (bytes / frame.length);
          if (frames > 0) {
            bytes -= (long) frames * frame.length;
            received.add(frames);
            permits.release(frames);
          }
        }
      } catch (IOException e) {
        // closed
      }
    }, "bench-raw-reader");
    reader.setDaemon(true);
    reader.start();
    Thread writer = new Thread(() -> {
      try {
        while (!stop.get()) {
          if (!permits.tryAcquire()) {
            out.flush();
            if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
          }
          out.write(frame);
        }
        out.flush();
      } catch (IOException | InterruptedException e) {
        // closed
      }
    }, "bench-raw-writer");
    writer.setDaemon(true);
    writer.start();
    Thread.sleep(warmupMillis);
    long c0 = received.sum();
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    long c1 = received.sum();
    long t1 = System.nanoTime();
    stop.set(true);
    writer.join(2000);
    // Let the last echoes arrive so that the connection can be closed cleanly.
    permits.tryAcquire(window, 2, TimeUnit.SECONDS);
    return (c1 - c0) * 1e9 / (t1 - t0);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
