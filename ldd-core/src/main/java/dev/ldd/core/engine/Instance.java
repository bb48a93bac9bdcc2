package dev.ldd.core.engine;

import dev.ldd.core.StopReason;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.core.time.Scheduler;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** One instance of a function, as its pool sees it. Confined to the engine's loop. */
final class Instance {
  final String id;
  /** Started because messages were waiting (its first invocation is cold), not to keep minInstances. */
  final boolean onDemand;
  final Instant startedAt;
  InstanceState state = InstanceState.STARTING;
  /** What the runtime's start produces; a retire while starting kills it. */
  java.util.concurrent.CompletableFuture<RuntimeInstance> started;
  RuntimeInstance runtime;
  FunctionConnection connection;
  Scheduler.Cancellable startTimer;
  int capacity;
  int inFlight;
  boolean usedOnce;
  /** Finished an invocation other than by being lost: the start really worked. */
  boolean servedOne;
  Instant idleSince;
  /** Why it is draining, when it is. */
  StopReason retireReason;
  final Set<Active> active = new LinkedHashSet<>();

  Instance(String id, boolean onDemand, Instant startedAt) {
    this.id = id;
    this.onDemand = onDemand;
    this.startedAt = startedAt;
  }

  boolean acceptsWork() {
    return (state == InstanceState.READY || state == InstanceState.BUSY) && inFlight < capacity;
  }

  boolean alive() {
    return state != InstanceState.DEAD;
  }
}
