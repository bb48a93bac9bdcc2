package dev.ldd.launcher.cli;

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
    err.println("ldd run: not available in this build: the daemon assembly waits for the engine (Dispatcher) "
        + "on main. 'ldd validate' checks the config.");
    return Cli.NOT_AVAILABLE;
  }
}
