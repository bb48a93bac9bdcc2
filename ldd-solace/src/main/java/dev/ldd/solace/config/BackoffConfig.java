package dev.ldd.solace.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Exponential back-off: the first retry waits {@code initial}, each following one {@code multiplier}
 * times longer, capped at {@code max}. It starts again from {@code initial} once things have been
 * quiet for {@code max}.
 */
public record BackoffConfig(Duration initial, Duration max, Double multiplier) {
  /** Rebuilding a failed session or flow: 1 s doubling up to 60 s. */
  public static final BackoffConfig REBUILD = new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);
  /** Rebinding a flow after {@code fail()} in {@link SettlementMode#REBIND}: 1 s doubling up to 30 s. */
  public static final BackoffConfig REBIND = new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);

  public BackoffConfig {
    initial = initial == null ? Duration.ofSeconds(1) : initial;
    max = max == null ? Duration.ofSeconds(60) : max;
    multiplier = multiplier == null ? 2.0 : multiplier;
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (initial.isNegative() || initial.isZero()) {
      problems.add(path + ".initial: must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      problems.add(path + ".max: must be >= initial (" + initial + "), was " + max);
    }
    if (!(multiplier >= 1.0) || multiplier.isInfinite()) {
      problems.add(path + ".multiplier: must be >= 1, was " + multiplier);
    }
    return problems;
  }
}
