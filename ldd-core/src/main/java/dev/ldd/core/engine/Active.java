package dev.ldd.core.engine;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.time.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An invocation in flight. Confined to the engine's loop. */
final class Active {
  final Work work;
  final FunctionPool pool;
  final Instance instance;
  final Invocation invocation;
  final Instant startedAt;
  /** Publications held until the result (buffered mode). */
  final List<Publication> buffered = new ArrayList<>(0);
  /** Bus confirmations of publications sent at once (immediate mode). */
  final List<CompletableFuture<Void>> confirmations = new ArrayList<>(0);
  Scheduler.Cancellable deadline;
  boolean done;

  Active(Work work, FunctionPool pool, Instance instance, Invocation invocation, Instant startedAt) {
    this.work = work;
    this.pool = pool;
    this.instance = instance;
    this.invocation = invocation;
    this.startedAt = startedAt;
  }
}
