package dev.ldd.solace;

import dev.ldd.core.time.Scheduler;
import dev.ldd.solace.config.BackoffConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * Exponential back-off that starts over once things have been quiet: when more than {@code max} has
 * passed since the last {@link #recovered()}, the next delay is {@code initial} again. Counting from
 * recovery rather than from the last failure is what stops a poison message from keeping the delay
 * short: it fails again right after each rebind, so the quiet period never comes. Thread-safe.
 */
final class Backoff {
  private final BackoffConfig config;
  private final Scheduler clock;
  private int attempts;
  private Instant recoveredAt;

  Backoff(BackoffConfig config, Scheduler clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The delay before the next attempt; each call without a quiet period in between returns a longer one. */
  synchronized Duration next() {
    Instant now = clock.now();
    if (recoveredAt != null && Duration.between(recoveredAt, now).compareTo(config.max()) > 0) {
      attempts = 0;
    }
    recoveredAt = null;
    double nanos = config.initial().toNanos() * Math.pow(config.multiplier(), attempts);
    attempts++;
    long capped = (long) Math.min(nanos, (double) config.max().toNanos());
    return Duration.ofNanos(capped);
  }

  /** The attempt succeeded: the delay starts over once nothing fails for {@code max}. */
  synchronized void recovered() {
    recoveredAt = clock.now();
  }
}
