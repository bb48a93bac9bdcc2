package dev.ldd.solace;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.solacesystems.jcsmp.BytesXMLMessage;
import com.solacesystems.jcsmp.Destination;
import com.solacesystems.jcsmp.JCSMPFactory;
import com.solacesystems.jcsmp.TextMessage;
import java.nio.charset.StandardCharsets;

/** Mock inbound JCSMP messages, as a flow hands them over. */
final class Messages {
  private static int ids;

  private Messages() {}

  /** A binary message published to {@code topic} whose attachment is {@code payload}. */
  static BytesXMLMessage bytes(String topic, String payload) {
    return bytes(JCSMPFactory.onlyInstance().createTopic(topic), payload.getBytes(StandardCharsets.UTF_8));
  }

  static BytesXMLMessage bytes(Destination destination, byte[] payload) {
    BytesXMLMessage m = mock(BytesXMLMessage.class);
    when(m.getDestination()).thenReturn(destination);
    when(m.getAttachmentContentLength()).thenReturn(payload.length);
    when(m.readAttachmentBytes(any(byte[].class))).thenAnswer(inv -> {
      byte[] into = inv.getArgument(0);
      System.arraycopy(payload, 0, into, 0, payload.length);
      return payload.length;
    });
    when(m.getApplicationMessageId()).thenReturn("msg-" + (++ids));
    return m;
  }

  static TextMessage text(String topic, String text) {
    TextMessage m = mock(TextMessage.class);
    when(m.getDestination()).thenReturn(JCSMPFactory.onlyInstance().createTopic(topic));
    when(m.getText()).thenReturn(text);
    when(m.getApplicationMessageId()).thenReturn("msg-" + (++ids));
    return m;
  }
}
