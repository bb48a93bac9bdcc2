package dev.ldd.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldd image}: function images. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Builds function container images.",
    subcommands = ImageCommand.Build.class)
final class ImageCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ldd image build}: options fixed now; the builder arrives with ldd-docker. */
  @Command(name = "build", mixinStandardHelpOptions = true,
      description = "Builds a container image that runs a Java function (a jar and its main class) "
          + "under the LDD wrapper, on the local Docker engine.")
  static final class Build implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--jar", required = true, paramLabel = "JAR", description = "the function's jar")
    Path jar;

    @Option(names = "--main-class", paramLabel = "CLASS",
        description = "the function's class (default: the jar's Main-Class)")
    String mainClass;

    @Option(names = "--tag", required = true, paramLabel = "IMAGE:TAG", description = "the image to build")
    String tag;

    @Option(names = "--classpath", split = ":", paramLabel = "JAR",
        description = "more jars the function needs, separated by ':'; repeatable")
    List<Path> classpath = new ArrayList<>();

    @Override
    public Integer call() {
      spec.commandLine().getErr().println("ldd image build: not available in this build: the function image "
          + "builder (ldd-docker) is not included yet. Build the image with your own Dockerfile for now.");
      return Cli.NOT_AVAILABLE;
    }
  }
}
