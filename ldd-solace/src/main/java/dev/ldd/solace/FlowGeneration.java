package dev.ldd.solace;

import com.solacesystems.jcsmp.FlowReceiver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One bind of a queue's flow. A flow that fails, is rebound or whose session is rebuilt is replaced by
 * a new generation; the old one is dead: its late callbacks are ignored and settling its deliveries is
 * a no-op, because the broker ignores acks from an old flow and redelivers those messages anyway.
 */
final class FlowGeneration {
  private final String queue;
  private final AtomicBoolean dead = new AtomicBoolean();
  private volatile FlowReceiver receiver;

  FlowGeneration(String queue) {
    this.queue = queue;
  }

  String queue() {
    return queue;
  }

  FlowReceiver receiver() {
    return receiver;
  }

  void bind(FlowReceiver receiver) {
    this.receiver = receiver;
  }

  boolean isDead() {
    return dead.get();
  }

  /** Marks it dead; true only for the call that did. */
  boolean kill() {
    return dead.compareAndSet(false, true);
  }
}
