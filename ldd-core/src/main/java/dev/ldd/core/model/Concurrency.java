package dev.ldd.core.model;

/**
 * How much of a function may run at once.
 *
 * @param perInstance invocations in flight on one instance (the wrapper may announce fewer)
 * @param minInstances instances kept warm even when idle (prewarmed at start)
 * @param maxInstances instances at most, starting ones included
 */
public record Concurrency(int perInstance, int minInstances, int maxInstances) {
  public static final Concurrency DEFAULT = new Concurrency(1, 0, 4);

  public Concurrency {
    if (perInstance < 1) {
      throw new IllegalArgumentException("perInstance must be >= 1, was " + perInstance);
    }
    if (minInstances < 0) {
      throw new IllegalArgumentException("minInstances must be >= 0, was " + minInstances);
    }
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be >= 1, was " + maxInstances);
    }
    if (maxInstances < minInstances) {
      throw new IllegalArgumentException(
          "maxInstances must be >= minInstances (" + minInstances + "), was " + maxInstances);
    }
  }
}
