package dev.ldd.solace;

import dev.ldd.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when a test calls {@link #advance}; tasks run on the test's thread. */
final class ManualScheduler implements Scheduler {
  private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private Instant now = Instant.parse("2026-12-01T10:00:00Z");
  private long seq;

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Moves time forward, running every task that falls due on the way, in order. */
  void advance(Duration by) {
    Instant target;
    synchronized (this) {
      target = now.plus(by);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due().isAfter(target)) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due();
      }
      if (!next.cancelled()[0]) {
        next.run().run();
      }
    }
  }

  /** The delays from now of the tasks still waiting, soonest first. */
  synchronized List<Duration> pendingDelays() {
    List<Duration> out = new ArrayList<>();
    tasks.stream().sorted(tasks.comparator()).filter(t -> !t.cancelled()[0])
        .forEach(t -> out.add(Duration.between(now, t.due())));
    return out;
  }
}
