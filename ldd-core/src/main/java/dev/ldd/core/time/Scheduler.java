package dev.ldd.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's one source of time: the current instant and delayed tasks. Injected everywhere time
 * matters so that timers (deadlines, idle reaping, back-off, drain) can be tested without sleeping.
 * Thread-safe. Tasks run on a scheduler thread and must be short: they hand work on.
 */
public interface Scheduler {
  Instant now();

  /** Runs {@code task} once after {@code delay}. Cancelling a task that already ran does nothing. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
