package dev.ldd.core.testing;

import dev.ldd.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when a test says so: {@link #advance} runs every task that
 * falls due, in order, on the calling thread. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  public ManualScheduler() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Moves time forward by {@code d}, running what falls due on the way. */
  public void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.due.isAfter(target)) {
          now = target;
          return;
        }
        tasks.poll();
        if (t.due.isAfter(now)) {
          now = t.due;
        }
      }
      if (!t.cancelled) {
        t.task.run();
      }
    }
  }

  /** Runs what is due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pendingTasks() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  private static final class Task implements Comparable<Task> {
    final Instant due;
    final long order;
    final Runnable task;
    volatile boolean cancelled;

    Task(Instant due, long order, Runnable task) {
      this.due = due;
      this.order = order;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }
}
