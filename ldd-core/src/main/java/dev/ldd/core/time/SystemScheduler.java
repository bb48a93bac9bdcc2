package dev.ldd.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real {@link Scheduler}: the system clock and one daemon timer thread. */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final Clock clock;
  private final ScheduledThreadPoolExecutor timer;

  public SystemScheduler() {
    this(Clock.systemUTC(), "ldd-timer");
  }

  public SystemScheduler(Clock clock, String threadName) {
    this.clock = clock;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    // Cancelled deadlines are the common case: do not let them pile up until they expire.
    this.timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
