package dev.ldd.core.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Exponential back-off with a cap, and a bound on attempts.
 *
 * @param initial the delay after the first failure
 * @param max the largest delay
 * @param multiplier how much each further failure multiplies the delay (at least 1)
 * @param maxAttempts how many failures in a row a held message waits through before it is given back
 */
public record Backoff(Duration initial, Duration max, double multiplier, int maxAttempts) {
  /** 200 ms doubling to 10 s; five attempts. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 5);

  public Backoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < initial <= max, was " + initial + " and " + max);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("back-off multiplier must be >= 1, was " + multiplier);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("back-off maxAttempts must be >= 1, was " + maxAttempts);
    }
  }

  /** The delay after the {@code failures}-th failure in a row (1-based). */
  public Duration delay(int failures) {
    double factor = Math.pow(multiplier, Math.max(0, failures - 1));
    double nanos = initial.toNanos() * factor;
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }
}
