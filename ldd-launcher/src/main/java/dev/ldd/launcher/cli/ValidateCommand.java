package dev.ldd.launcher.cli;

import dev.ldd.core.ConfigException;
import dev.ldd.launcher.config.LddConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ldd validate}: reads a config and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Checks a config file and prints every problem at once, each with its path.",
        "Warnings (such as equally specific routes) are printed but do not fail the check."})
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand
  LddCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
  Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LddConfig loaded = load(config, parent, err);
    if (loaded == null) {
      return Cli.FAILED;
    }
    printWarnings(loaded, err);
    out.println("config OK: " + count(loaded.functions().size(), "function") + ", "
        + count(loaded.routes().size(), "route"));
    return Cli.OK;
  }

  /** Loads a config, printing its problems to {@code err}; null when it is invalid. */
  static LddConfig load(Path file, LddCommand parent, PrintWriter err) {
    try {
      return LddConfig.load(file, parent.env);
    } catch (ConfigException e) {
      for (String problem : e.problems()) {
        err.println("error: " + problem);
      }
      err.println(file + ": " + count(e.problems().size(), "problem"));
      return null;
    }
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static void printWarnings(LddConfig config, PrintWriter err) {
    for (String warning : config.warnings()) {
      err.println("warning: " + warning);
    }
  }
}
