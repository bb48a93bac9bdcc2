package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.solacesystems.jcsmp.BytesXMLMessage;
import com.solacesystems.jcsmp.JCSMPFactory;
import com.solacesystems.jcsmp.SDTMap;
import com.solacesystems.jcsmp.TextMessage;
import dev.ldd.core.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundMessagesTest {
  private final JCSMPFactory jcsmp = JCSMPFactory.onlyInstance();

  @Test
  void bytesMessageCarriesTopicAttachmentPropertiesAndIds() throws Exception {
    BytesXMLMessage m = Messages.bytes("orders/eu/created", "{\"id\":7}");
    SDTMap props = jcsmp.createMap();
    props.putString("tenant", "acme");
    props.putInteger("priority", 3);
    props.putBoolean("urgent", true);
    props.putBytes("raw", new byte[] {1, 2});
    when(m.getProperties()).thenReturn(props);
    when(m.getApplicationMessageId()).thenReturn("msg-1");
    when(m.getCorrelationId()).thenReturn("corr-1");
    when(m.getReplyTo()).thenReturn(jcsmp.createTopic("replies/ldd"));

    InboundMessage in = InboundMessages.from("orders", m);

    assertThat(in.queue()).isEqualTo("orders");
    assertThat(in.topic()).isEqualTo("orders/eu/created");
    assertThat(new String(in.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
    assertThat(in.properties()).isEqualTo(Map.of("tenant", "acme", "priority", "3", "urgent", "true", "raw", "AQI="));
    assertThat(in.messageId()).isEqualTo("msg-1");
    assertThat(in.correlationId()).isEqualTo("corr-1");
    assertThat(in.replyTo()).isEqualTo("replies/ldd");
    assertThat(in.redelivered()).isFalse();
  }

  @Test
  void textMessageCarriesItsTextAsUtf8Payload() {
    TextMessage m = Messages.text("greetings/fr", "ça va");

    InboundMessage in = InboundMessages.from("greetings", m);

    assertThat(in.topic()).isEqualTo("greetings/fr");
    assertThat(in.payload()).isEqualTo("ça va".getBytes(StandardCharsets.UTF_8));
    assertThat(in.properties()).isEmpty();
  }

  @Test
  void messageSentStraightToTheQueueHasTheQueueAsTopic() {
    BytesXMLMessage m = Messages.bytes(jcsmp.createQueue("orders"), new byte[0]);

    InboundMessage in = InboundMessages.from("orders", m);

    assertThat(in.topic()).isEqualTo("orders");
    assertThat(in.payload()).isEmpty();
  }

  @Test
  void deliveryCountComesFromTheBrokerWhenSupported() {
    BytesXMLMessage m = Messages.bytes("t", "x");
    when(m.isDeliveryCountSupported()).thenReturn(true);
    when(m.getDeliveryCount()).thenReturn(3);
    when(m.getRedelivered()).thenReturn(true);

    InboundMessage in = InboundMessages.from("q", m);

    assertThat(in.deliveryCount()).hasValue(3);
    assertThat(in.effectiveDeliveryCount()).isEqualTo(3);
  }

  @Test
  void deliveryCountFallsBackToTheRedeliveredFlagWhenUnsupported() {
    BytesXMLMessage m = Messages.bytes("t", "x");
    when(m.isDeliveryCountSupported()).thenReturn(false);
    when(m.getDeliveryCount()).thenThrow(new UnsupportedOperationException("not enabled on the queue"));
    when(m.getRedelivered()).thenReturn(true);

    InboundMessage in = InboundMessages.from("q", m);

    assertThat(in.deliveryCount()).isEmpty();
    assertThat(in.redelivered()).isTrue();
    assertThat(in.effectiveDeliveryCount()).isEqualTo(2);
  }

  @Test
  void deliveryCountThatThrowsDespiteSupportFallsBackToo() {
    BytesXMLMessage m = mock(BytesXMLMessage.class);
    when(m.isDeliveryCountSupported()).thenReturn(true);
    when(m.getDeliveryCount()).thenThrow(new UnsupportedOperationException());

    assertThat(InboundMessages.deliveryCount(m)).isEmpty();
  }
}
