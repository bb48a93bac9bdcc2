package dev.ldd.launcher.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link ProcessContainerRuntime} starts processes.
 *
 * @param java the java binary for functions without a command ({@code java -jar <image>})
 * @param workDir the processes' working directory; empty for the daemon's own
 * @param stateDirectory where pid files and per-instance logs live, one folder per daemon id
 * @param startWindow how long a new process must stay alive for its start to count as successful
 */
public record ProcessRuntimeOptions(Path java, Optional<Path> workDir, Path stateDirectory, Duration startWindow) {
  public ProcessRuntimeOptions {
    requireNonNull(java, "java");
    requireNonNull(workDir, "workDir");
    requireNonNull(stateDirectory, "stateDirectory");
    requireNonNull(startWindow, "startWindow");
    if (startWindow.isNegative()) {
      throw new IllegalArgumentException("startWindow must not be negative, was " + startWindow);
    }
  }

  /**
   * The running JVM's java, the daemon's working directory, {@code <java.io.tmpdir>/ldd-process-runtime}
   * and a 200 ms start window.
   */
  public static ProcessRuntimeOptions defaults() {
    return new ProcessRuntimeOptions(Path.of(System.getProperty("java.home"), "bin", "java"), Optional.empty(),
        Path.of(System.getProperty("java.io.tmpdir"), "ldd-process-runtime"), Duration.ofMillis(200));
  }

  public ProcessRuntimeOptions withJava(Path java) {
    return new ProcessRuntimeOptions(java, workDir, stateDirectory, startWindow);
  }

  public ProcessRuntimeOptions withWorkDir(Optional<Path> workDir) {
    return new ProcessRuntimeOptions(java, workDir, stateDirectory, startWindow);
  }

  public ProcessRuntimeOptions withStateDirectory(Path stateDirectory) {
    return new ProcessRuntimeOptions(java, workDir, stateDirectory, startWindow);
  }

  public ProcessRuntimeOptions withStartWindow(Duration startWindow) {
    return new ProcessRuntimeOptions(java, workDir, stateDirectory, startWindow);
  }
}
