package dev.ldd.launcher;

import dev.ldd.launcher.cli.Cli;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The {@code ldd} executable: {@code java -jar ldd.jar <command>}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    int code = Cli.run(args, System.getenv(), new PrintWriter(System.out, true, charset),
        new PrintWriter(System.err, true, charset));
    System.exit(code);
  }
}
