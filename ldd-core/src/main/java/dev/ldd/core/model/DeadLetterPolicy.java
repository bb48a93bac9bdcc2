package dev.ldd.core.model;

import static java.util.Objects.requireNonNull;

/** Where a message goes when it is dead-lettered. */
public sealed interface DeadLetterPolicy {
  /** {@code reject()} it: the bus's own dead-message queue takes it. The default. */
  record BusReject() implements DeadLetterPolicy {}

  /**
   * Publish the original message to {@code topic}, with the error (function, code, message, delivery
   * count) in its properties, then accept the original once the bus confirmed the copy.
   */
  record ToTopic(String topic) implements DeadLetterPolicy {
    public ToTopic {
      requireNonNull(topic, "topic");
      if (topic.isBlank()) {
        throw new IllegalArgumentException("dead-letter topic must not be blank");
      }
    }
  }

  DeadLetterPolicy BUS = new BusReject();

  static DeadLetterPolicy toTopic(String topic) {
    return new ToTopic(topic);
  }
}
