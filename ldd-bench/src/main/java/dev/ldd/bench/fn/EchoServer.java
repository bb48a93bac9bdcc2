package dev.ldd.bench.fn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The raw baseline's far end: echoes every byte it reads on each connection, writing back whatever one
 * read returned (so pipelined input is answered in batches). No framing, no protobuf, no thread hand-off.
 * As a main class it listens on {@code $LDD_PORT} (default 8080) on every interface, for the Docker image.
 */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket server;

  public EchoServer(InetAddress address, int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(address, port), 50);
    Thread t = new Thread(this::acceptLoop, "bench-echo-accept");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> echo(s), "bench-echo");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echo(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[256 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // peer gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  public static void main(String[] args) throws Exception {
    String p = System.getenv("LDD_PORT");
    try (EchoServer e = new EchoServer(InetAddress.getByName("0.0.0.0"), p == null ? 8080 : Integer.parseInt(p))) {
      Thread.currentThread().join();
    }
  }
}
