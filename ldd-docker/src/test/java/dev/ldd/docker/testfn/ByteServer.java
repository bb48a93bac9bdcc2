package dev.ldd.docker.testfn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The tiny function the Docker tests package into an image: listens on {@code LDD_PORT}, greets every
 * connection with one byte ('R') and echoes what it receives. {@code fail <code> <message>} makes it
 * print the message to stderr and exit with the code instead. One class, no nested classes, so that its
 * jar is this one class file.
 */
public final class ByteServer {
  public static final int GREETING = 'R';

  private ByteServer() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 2 && args[0].equals("fail")) {
      System.err.println(args.length > 2 ? args[2] : "failing as asked");
      System.exit(Integer.parseInt(args[1]));
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("LDD_PORT", "8080"));
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(port));
    System.out.println("byte-server: instance " + System.getenv("LDD_INSTANCE") + " of "
        + System.getenv("LDD_FUNCTION") + " listening on " + port);
    while (true) {
      Socket socket = server.accept();
      Thread thread = new Thread(() -> serve(socket), "byte-server-connection");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(GREETING);
      out.flush();
      InputStream in = socket.getInputStream();
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
        out.flush();
      }
    } catch (IOException e) {
      // the daemon went away: nothing to do
    }
  }
}
