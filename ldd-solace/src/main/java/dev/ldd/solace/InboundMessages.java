package dev.ldd.solace;

import com.solacesystems.common.util.ByteArray;
import com.solacesystems.jcsmp.BytesMessage;
import com.solacesystems.jcsmp.BytesXMLMessage;
import com.solacesystems.jcsmp.Destination;
import com.solacesystems.jcsmp.SDTException;
import com.solacesystems.jcsmp.SDTMap;
import com.solacesystems.jcsmp.TextMessage;
import dev.ldd.core.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a JCSMP message into the core's {@link InboundMessage}. */
final class InboundMessages {
  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);
  private static final byte[] EMPTY = new byte[0];

  private InboundMessages() {}

  static InboundMessage from(String queue, BytesXMLMessage m) {
    Destination destination = m.getDestination();
    // A message sent straight to the queue has the queue as its destination.
    String topic = destination == null || destination.getName() == null ? queue : destination.getName();
    Destination replyTo = m.getReplyTo();
    return new InboundMessage(
        queue,
        topic,
        payload(m),
        properties(m.getProperties()),
        m.getApplicationMessageId(),
        m.getCorrelationId(),
        replyTo == null ? null : replyTo.getName(),
        m.getRedelivered(),
        deliveryCount(m));
  }

  /** How logs name a message: its application message id, else the broker's replication-group id. */
  static String logId(BytesXMLMessage m) {
    try {
      String id = m.getApplicationMessageId();
      if (id != null) {
        return id;
      }
      Object rgmid = m.getReplicationGroupMessageId();
      return rgmid == null ? "(no id)" : rgmid.toString();
    } catch (RuntimeException e) {
      return "(no id)";
    }
  }

  static byte[] payload(BytesXMLMessage m) {
    if (m instanceof TextMessage text) {
      String s = text.getText();
      return s == null ? EMPTY : s.getBytes(StandardCharsets.UTF_8);
    }
    if (m instanceof BytesMessage bytes) {
      byte[] data = bytes.getData();
      return data == null ? EMPTY : data;
    }
    int length = m.getAttachmentContentLength();
    if (length <= 0) {
      return EMPTY;
    }
    byte[] data = new byte[length];
    m.readAttachmentBytes(data);
    return data;
  }

  /** User properties as strings: binary values in base64, destinations by name, the rest as printed. */
  static Map<String, String> properties(SDTMap map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String key : map.keySet()) {
      try {
        Object value = map.get(key);
        if (value != null) {
          out.put(key, asString(value));
        }
      } catch (SDTException e) {
        log.warn("user property '{}' could not be read and is left out: {}", key, e.getMessage());
      }
    }
    return out;
  }

  private static String asString(Object value) {
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof ByteArray array) {
      return Base64.getEncoder().encodeToString(array.asBytes());
    }
    if (value instanceof Destination d) {
      return d.getName();
    }
    return String.valueOf(value);
  }

  /** The broker's count when the queue tracks it; empty otherwise, so the redelivered flag stands in. */
  static OptionalInt deliveryCount(BytesXMLMessage m) {
    try {
      if (m.isDeliveryCountSupported()) {
        int count = m.getDeliveryCount();
        return count >= 1 ? OptionalInt.of(count) : OptionalInt.empty();
      }
    } catch (UnsupportedOperationException e) {
      // Some brokers say they support it and then do not: fall back to the flag.
    }
    return OptionalInt.empty();
  }
}
