package dev.ldd.wire.sdk;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One message the function is asked to handle.
 *
 * @param id the invocation id, unique among those in flight on the connection
 * @param topic the topic the message was published to
 * @param payload its binary payload (never null, may be empty); owned by the handler
 * @param properties its user properties
 * @param messageId the application message id, or null
 * @param correlationId the correlation id, or null
 * @param replyTo where a request/reply answer goes, or null; see {@link Context#reply}
 * @param redelivered whether the bus has delivered it before
 * @param deliveryCount how many times it was delivered, this time included, when the bus knows
 * @param deadline when the daemon gives up on the result ({@link Instant#MAX} when it set none)
 */
public record Invocation(
    String id,
    String topic,
    byte[] payload,
    Map<String, String> properties,
    String messageId,
    String correlationId,
    String replyTo,
    boolean redelivered,
    OptionalInt deliveryCount,
    Instant deadline) {

  public Invocation {
    requireNonNull(id, "id");
    requireNonNull(topic, "topic");
    requireNonNull(payload, "payload");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    requireNonNull(deliveryCount, "deliveryCount");
    requireNonNull(deadline, "deadline");
  }

  @Override
  public String toString() {
    return "Invocation[id=" + id + ", topic=" + topic + ", bytes=" + payload.length + ", messageId=" + messageId
        + ", redelivered=" + redelivered + ", deliveryCount=" + deliveryCount + ", deadline=" + deadline + "]";
  }
}
