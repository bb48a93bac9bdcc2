package dev.ldd.core.model;

/**
 * Resource limits for one instance. Zero means "no limit".
 *
 * @param memoryBytes memory limit in bytes
 * @param nanoCpus CPU limit in billionths of a CPU (0.5 CPU = 500_000_000)
 * @param pids maximum number of processes or threads
 */
public record Resources(long memoryBytes, long nanoCpus, long pids) {
  public static final Resources UNLIMITED = new Resources(0, 0, 0);

  public Resources {
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
    }
    if (nanoCpus < 0) {
      throw new IllegalArgumentException("nanoCpus must be >= 0, was " + nanoCpus);
    }
    if (pids < 0) {
      throw new IllegalArgumentException("pids must be >= 0, was " + pids);
    }
  }
}
