package dev.ldd.launcher.process;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in function process: listens on {@code LDD_PORT} and runs until killed. With {@code REPORT_TO}
 * set, it first writes the LDD variables it was given to that file.
 */
public final class ListeningFunction {
  public static void main(String[] args) throws IOException {
    String report = System.getenv("REPORT_TO");
    int port = Integer.parseInt(System.getenv("LDD_PORT"));
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      if (report != null) {
        Path tmp = Path.of(report + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          for (String name : new String[] {"LDD_PORT", "LDD_FUNCTION", "LDD_INSTANCE", "LDD_DAEMON", "GREETING"}) {
            w.write(name + "=" + System.getenv(name) + "\n");
          }
        }
        Files.move(tmp, Path.of(report));
      }
      System.out.println("listening on " + port);
      while (true) {
        Socket s = server.accept();
        s.close();
      }
    }
  }
}
