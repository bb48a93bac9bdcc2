package dev.ldd.core.engine;

import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.InboundMessage;

/** One delivered message on its way to settlement. Confined to the engine's loop. */
final class Work {
  final Delivery delivery;
  /** The function it was routed to, or null. */
  String function;
  /** Start failures of its function seen while it was held. */
  int startFailuresSeen;
  /** Settled (or left unsettled): nothing may settle it again. */
  boolean done;

  Work(Delivery delivery) {
    this.delivery = delivery;
  }

  InboundMessage message() {
    return delivery.message();
  }
}
