package dev.ldd.core.engine;

import dev.ldd.core.model.FunctionSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one function and the messages held for it. Pure bookkeeping, confined to the
 * engine's loop; the {@link Dispatcher} does the I/O.
 */
final class FunctionPool {
  private static final int ERRORS_KEPT = 10;

  final FunctionSpec spec;
  final List<Instance> instances = new ArrayList<>();
  final ArrayDeque<Work> pending = new ArrayDeque<>();
  final ArrayDeque<String> lastErrors = new ArrayDeque<>();
  /** Rounds of failed starts since an instance last served an invocation. */
  int consecutiveStartFailures;
  /** The retry of a failed round of starts, while one is scheduled. */
  dev.ldd.core.time.Scheduler.Cancellable startRetry;
  /** Instances being stopped or killed by the runtime: they still count against maxInstances. */
  int stopping;
  private int instanceSequence;

  FunctionPool(FunctionSpec spec) {
    this.spec = spec;
  }

  String name() {
    return spec.name();
  }

  String nextInstanceId() {
    return spec.name() + "-" + (++instanceSequence);
  }

  /** The ready instance with room and the fewest invocations in flight, or null. */
  Instance leastLoaded() {
    Instance best = null;
    for (Instance i : instances) {
      if (i.acceptsWork() && (best == null || i.inFlight < best.inFlight)) {
        best = i;
      }
    }
    return best;
  }

  /** Instances counted against maxInstances: all but the dead, and the dead not yet gone. */
  int aliveCount() {
    return instances.size() + stopping;
  }

  int startingCount() {
    int n = 0;
    for (Instance i : instances) {
      if (i.state == InstanceState.STARTING) {
        n++;
      }
    }
    return n;
  }

  boolean hasServingInstance() {
    for (Instance i : instances) {
      if (i.state == InstanceState.READY || i.state == InstanceState.BUSY) {
        return true;
      }
    }
    return false;
  }

  int readyCount() {
    int n = 0;
    for (Instance i : instances) {
      if (i.state == InstanceState.READY || i.state == InstanceState.BUSY) {
        n++;
      }
    }
    return n;
  }

  /** How many instances to start now: enough for what is held, and to keep minInstances. */
  int instancesToStart() {
    int alive = aliveCount();
    int max = spec.concurrency().maxInstances();
    int uncovered = pending.size() - startingCount() * spec.concurrency().perInstance();
    int forLoad = uncovered <= 0 ? 0 : ceilDiv(uncovered, spec.concurrency().perInstance());
    int forMin = Math.max(0, spec.concurrency().minInstances() - instances.size());
    return Math.max(0, Math.min(Math.max(forLoad, forMin), max - alive));
  }

  void recordError(String error) {
    if (lastErrors.size() == ERRORS_KEPT) {
      lastErrors.removeFirst();
    }
    lastErrors.addLast(error);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
