package dev.ldd.core.policy;

import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the copy of a dead-lettered message that goes to a dead-letter topic: the original payload and
 * properties, plus the error context under {@code ldd.dl.*} properties.
 */
public final class DeadLetters {
  public static final String FUNCTION = "ldd.dl.function";
  public static final String CODE = "ldd.dl.code";
  public static final String ERROR = "ldd.dl.error";
  public static final String DELIVERY_COUNT = "ldd.dl.deliveryCount";
  public static final String QUEUE = "ldd.dl.queue";
  public static final String TOPIC = "ldd.dl.topic";
  public static final String MESSAGE_ID = "ldd.dl.messageId";

  private DeadLetters() {}

  /**
   * The publication for {@code message}, dead-lettered by {@code function} (null when no route matched)
   * with {@code code} (ERROR, REJECT, TIMEOUT, LOST, NO_ROUTE) and {@code error}.
   */
  public static Publication toTopic(
      String deadLetterTopic, InboundMessage message, String function, String code, String error) {
    Map<String, String> props = new HashMap<>(message.properties());
    props.put(FUNCTION, function == null ? "" : function);
    props.put(CODE, code);
    props.put(ERROR, error == null ? "" : error);
    props.put(DELIVERY_COUNT, Integer.toString(message.effectiveDeliveryCount()));
    props.put(QUEUE, message.queue());
    props.put(TOPIC, message.topic());
    if (message.messageId() != null) {
      props.put(MESSAGE_ID, message.messageId());
    }
    return new Publication(deadLetterTopic, message.payload(), props, message.correlationId());
  }
}
