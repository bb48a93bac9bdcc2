package dev.ldd.core.spi;

import java.util.concurrent.CompletableFuture;

/** Publishes messages to the bus with persistent (guaranteed) delivery. */
public interface MessagePublisher {
  /**
   * Sends {@code publication}. Never blocks the caller for long (at most while handing the message to the
   * bus client). The future completes when the bus has confirmed the message, and fails with the bus's
   * error otherwise; it is completed on a thread of the publisher's choosing, so callers must not block
   * in its callbacks.
   */
  CompletableFuture<Void> publish(Publication publication);
}
