package dev.ldd.launcher.cli;

import dev.ldd.core.LddException;
import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.docker.image.FunctionImage;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
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

  /** {@code ldd image build}: a jlink'd JRE, the jars and the shared libraries, FROM scratch. */
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

    @Option(names = "--add-modules", split = ",", paramLabel = "MODULE",
        description = "JDK modules to add to the image's JRE beyond those jdeps finds, separated by ','")
    java.util.Set<String> addModules = new java.util.LinkedHashSet<>();

    @Option(names = "--docker-host", paramLabel = "URI",
        description = "the Docker engine (default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      String main = mainClass;
      if (main == null) {
        main = manifestMainClass(jar);
        if (main == null) {
          err.println("ldd image build: " + jar + " names no Main-Class in its manifest; give --main-class");
          return Cli.USAGE;
        }
      }
      DockerRuntimeConfig.Builder docker = DockerRuntimeConfig.builder();
      if (dockerHost != null) {
        docker.dockerHost(dockerHost);
      }
      try (FunctionImageBuilder builder = FunctionImageBuilder.create(docker.build())) {
        FunctionImage image = builder.build(FunctionImageSpec.builder(tag, jar, main).classpath(classpath)
            .extraModules(addModules).build());
        out.println((image.cached() ? "up to date: " : "built: ") + image.tag() + " (" + image.imageId() + ")");
        return 0;
      } catch (LddException e) {
        err.println("ldd image build: " + e.getMessage());
        return 1;
      }
    }

    private static String manifestMainClass(Path jar) {
      try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
        java.util.jar.Manifest m = f.getManifest();
        return m == null ? null : m.getMainAttributes().getValue(java.util.jar.Attributes.Name.MAIN_CLASS);
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }
}
