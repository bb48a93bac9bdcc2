package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A message as a {@link MessageSource} delivers it.
 *
 * @param queue the queue (flow) it arrived on; routing keys on it
 * @param topic the topic it was published to; a message sent straight to a queue carries the queue name
 * @param payload the binary payload (never null; may be empty). Not copied: treat as read-only.
 * @param properties user properties as strings
 * @param messageId the application message id, or null
 * @param correlationId the correlation id, or null
 * @param replyTo the reply-to destination, or null
 * @param redelivered whether the bus has delivered this message before
 * @param deliveryCount how many times the bus has delivered it, this time included, when it knows
 */
public record InboundMessage(
    String queue,
    String topic,
    byte[] payload,
    Map<String, String> properties,
    String messageId,
    String correlationId,
    String replyTo,
    boolean redelivered,
    OptionalInt deliveryCount) {

  public InboundMessage {
    requireNonNull(queue, "queue");
    requireNonNull(topic, "topic");
    requireNonNull(payload, "payload");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    requireNonNull(deliveryCount, "deliveryCount");
    if (deliveryCount.isPresent() && deliveryCount.getAsInt() < 1) {
      throw new IllegalArgumentException("deliveryCount must be >= 1, was " + deliveryCount.getAsInt());
    }
  }

  /** A first delivery with no ids: convenient for tests and the embedded broker. */
  public static InboundMessage of(String queue, String topic, byte[] payload) {
    return new InboundMessage(queue, topic, payload, Map.of(), null, null, null, false, OptionalInt.of(1));
  }

  /**
   * The delivery count the failure policy uses: the bus's own count where it gives one, otherwise 2 for
   * a redelivered message and 1 for a first delivery (so a redelivered message that fails again is
   * dead-lettered when {@code maxDeliveries} is 2).
   */
  public int effectiveDeliveryCount() {
    return deliveryCount.orElse(redelivered ? 2 : 1);
  }

  @Override
  public String toString() {
    return "InboundMessage[queue=" + queue + ", topic=" + topic + ", bytes=" + payload.length
        + ", messageId=" + messageId + ", redelivered=" + redelivered + ", deliveryCount=" + deliveryCount + "]";
  }
}
