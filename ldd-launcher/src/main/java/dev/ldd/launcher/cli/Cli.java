package dev.ldd.launcher.cli;

import dev.ldd.launcher.DaemonComponents;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code ldd} command line. Exit codes: 0 success, 1 failure (an invalid config, a refused request),
 * 2 bad usage, 3 a verb this build does not include.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int NOT_AVAILABLE = 3;

  private Cli() {}

  /** Runs one command line with the given environment (for {@code ${VAR}} in configs) and streams. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return run(args, env, out, err, DaemonComponents.builtIn());
  }

  /** As {@link #run(String[], Map, PrintWriter, PrintWriter)}, with the adapters {@code ldd run} uses. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
      DaemonComponents components) {
    CommandLine cl = commandLine(env, components);
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Map<String, String> env, DaemonComponents components) {
    CommandLine cl = new CommandLine(new LddCommand(env, components));
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("ldd: " + e.getMessage());
      return FAILED;
    });
    return cl;
  }
}
