package dev.ldd.launcher.cli;

import dev.ldd.core.LddException;
import dev.ldd.launcher.Daemon;
import dev.ldd.launcher.NotInThisBuildException;
import dev.ldd.launcher.config.LddConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ldd run}: runs the daemon until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs the daemon with a config file until SIGTERM or Ctrl-C, which drain it;",
        "a second signal stops it at once."})
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  LddCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
  Path config;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LddConfig loaded = ValidateCommand.load(config, parent, err);
    if (loaded == null) {
      return Cli.FAILED;
    }
    ValidateCommand.printWarnings(loaded, err);
    err.flush();
    Daemon daemon;
    try {
      daemon = Daemon.create(loaded, parent.components);
    } catch (NotInThisBuildException e) {
      err.println("ldd run: " + e.getMessage());
      return Cli.NOT_AVAILABLE;
    }
    try {
      return daemon.runUntilSignalled();
    } catch (LddException e) {
      err.println("ldd run: " + e.getMessage());
      return Cli.FAILED;
    }
  }
}
