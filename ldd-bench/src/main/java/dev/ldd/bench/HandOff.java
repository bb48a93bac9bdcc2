package dev.ldd.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Round trips between two threads of one JVM that wake each other with {@code unpark}, as the stages of
 * a message's path do: the cost of a hand-over between threads on this machine, measured beside the raw
 * socket ping-pong so that a path's latency can be read as wake-ups. One round trip is two hand-overs.
 */
final class HandOff implements AutoCloseable {
  private final Thread echo;
  private volatile Thread caller;
  private volatile long request;
  private volatile long response;
  private volatile boolean stopped;
  private long sequence;

  HandOff() {
    echo = new Thread(this::answer, "bench-hand-off");
    echo.setDaemon(true);
    echo.start();
  }

  private void answer() {
    long seen = 0;
    while (!stopped) {
      long r = request;
      if (r == seen) {
        LockSupport.park(this);
        continue;
      }
      seen = r;
      response = r;
      LockSupport.unpark(caller);
    }
  }

  /** One round trip, in nanoseconds. */
  long roundTrip() {
    caller = Thread.currentThread();
    long v = ++sequence;
    long t0 = System.nanoTime();
    request = v;
    LockSupport.unpark(echo);
    while (response != v) {
      LockSupport.park(this);
    }
    return System.nanoTime() - t0;
  }

  /** p50, p99 of {@code n} round trips after {@code warmup}, microseconds. */
  static double[] measure(int warmup, int n) {
    try (HandOff h = new HandOff()) {
      for (int i = 0; i < warmup; i++) {
        h.roundTrip();
      }
      long[] l = new long[n];
      for (int i = 0; i < n; i++) {
        l[i] = h.roundTrip();
      }
      return new double[] {Figures.pct(l, n, 50) / 1e3, Figures.pct(l, n, 99) / 1e3};
    }
  }

  @Override
  public void close() {
    stopped = true;
    LockSupport.unpark(echo);
  }
}
