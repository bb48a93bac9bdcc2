package dev.ldd.examples.testing;

import com.google.protobuf.Message;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.docker.testing.TestDocker;
import dev.ldd.examples.echo.EchoFunction;
import dev.ldd.examples.enrich.EnrichFunction;
import dev.ldd.examples.flaky.FlakyFunction;
import dev.ldd.wire.sdk.LddFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The example functions as a function author ships them: a jar of their classes alone
 * ({@code dev/ldd/examples/{echo,enrich,flaky}/**}, no daemon code) and the two jars they need, the SDK
 * and protobuf. Made from this build's classes, so the tests need no package phase; the images are built
 * once per JVM with the Docker tests' label.
 */
public final class ExampleFunctions {
  /** Function name to main class, as examples/ldd.yaml declares them. */
  public static final Map<String, Class<?>> MAIN_CLASSES =
      Map.of("echo", EchoFunction.class, "enrich", EnrichFunction.class, "flaky", FlakyFunction.class);
  private static final List<String> PACKAGES = List.of("dev/ldd/examples/echo/", "dev/ldd/examples/enrich/",
      "dev/ldd/examples/flaky/");
  /** Fixed entry times keep the jar's bytes, hence the images' content hashes, the same on every run. */
  private static final long ENTRY_TIME = 1_700_000_000_000L;

  private static Path directory;
  private static boolean imagesBuilt;

  private ExampleFunctions() {}

  /** A folder with the functions' jar, the SDK jar and the protobuf jar: ldd-process.yaml's classpath. */
  public static synchronized Path directory() {
    if (directory == null) {
      try {
        Path dir = Files.createTempDirectory("ldd-examples-functions-");
        dir.toFile().deleteOnExit();
        writeFunctionsJar(dir.resolve("example-functions.jar"));
        Files.copy(TestDocker.jarContaining(LddFunction.class), dir.resolve("ldd-wire.jar"),
            StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TestDocker.jarContaining(Message.class), dir.resolve("protobuf-java.jar"),
            StandardCopyOption.REPLACE_EXISTING);
        directory = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return directory;
  }

  /** The functions' jar, then the jars it needs. */
  public static List<Path> classpath() {
    Path dir = directory();
    return List.of(dir.resolve("example-functions.jar"), dir.resolve("ldd-wire.jar"), dir.resolve("protobuf-java.jar"));
  }

  /** Builds ldd-examples/{echo,enrich,flaky}:1 (a no-op when they are up to date). */
  public static synchronized void buildImages() {
    if (imagesBuilt) {
      return;
    }
    List<Path> jars = classpath();
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(TestDocker.config())) {
      MAIN_CLASSES.forEach((name, main) -> builder.build(
          FunctionImageSpec.builder("ldd-examples/" + name + ":1", jars.get(0), main.getName())
              .classpath(jars.subList(1, jars.size()))
              .labels(TestDocker.TEST_LABEL)
              .build()));
    }
    imagesBuilt = true;
  }

  private static void writeFunctionsJar(Path jar) throws IOException {
    Path classes = Path.of(EchoFunction.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         var files = Files.walk(classes)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = classes.relativize(p).toString().replace('\\', '/');
        if (PACKAGES.stream().noneMatch(name::startsWith)) {
          continue;
        }
        JarEntry e = new JarEntry(name);
        e.setTime(ENTRY_TIME);
        out.putNextEntry(e);
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }
}
