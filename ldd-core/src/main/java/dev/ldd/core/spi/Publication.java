package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A message to publish to the bus.
 *
 * @param topic destination topic (non-empty)
 * @param payload binary payload, not copied
 * @param properties user properties
 * @param correlationId correlation id, or null
 */
public record Publication(String topic, byte[] payload, Map<String, String> properties, String correlationId) {
  public Publication {
    requireNonNull(topic, "topic");
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("topic must not be empty");
    }
    requireNonNull(payload, "payload");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  public Publication(String topic, byte[] payload, Map<String, String> properties) {
    this(topic, payload, properties, null);
  }

  @Override
  public String toString() {
    return "Publication[topic=" + topic + ", bytes=" + payload.length + ", properties=" + properties.keySet() + "]";
  }
}
