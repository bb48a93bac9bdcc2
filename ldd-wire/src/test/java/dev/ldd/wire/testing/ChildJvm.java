package dev.ldd.wire.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A wrapper main class run in a child JVM, listening on {@code LDD_PORT}. Killed on close. */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ChildJvm(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with exactly {@code classpath} and {@code LDD_PORT} set to a free port.
   */
  public static ChildJvm start(Class<?> mainClass, List<Path> classpath) {
    try {
      int port = freePort();
      Path log = Files.createTempFile("ldd-child-" + mainClass.getSimpleName(), ".log");
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      String cp = classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
      ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp, mainClass.getName());
      pb.environment().put("LDD_PORT", Integer.toString(port));
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      return new ChildJvm(pb.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test JVM's own classpath. */
  public static List<Path> testClasspath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Paths::get).toList();
  }

  /** Only the ldd-wire main classes and protobuf-java: what a function image carries. */
  public static List<Path> sdkOnlyClasspath() {
    try {
      Path wireClasses = Paths.get(dev.ldd.wire.sdk.LddFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path protobuf = Paths.get(com.google.protobuf.Message.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return List.of(wireClasses, protobuf);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** Waits up to {@code seconds} for the process to exit. */
  public boolean awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** What the child printed, for failure messages. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
