package dev.ldd.launcher.cli;

import dev.ldd.launcher.DaemonComponents;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code ldd} command: only subcommands do anything. */
@Command(name = "ldd", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "LDD, the lambda dispatch daemon: runs functions for messages from a bus.",
    subcommands = {RunCommand.class, ValidateCommand.class, VersionCommand.class, PublishCommand.class,
        ImageCommand.class},
    commandListHeading = "%nCommands:%n",
    footer = {"", "Exit codes: 0 success, 1 failure, 2 bad usage, 3 not available in this build."})
final class LddCommand implements Runnable {
  final Map<String, String> env;
  final DaemonComponents components;

  @Spec
  CommandSpec spec;

  LddCommand(Map<String, String> env, DaemonComponents components) {
    this.env = Map.copyOf(env);
    this.components = components;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
