package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;

import com.solacesystems.jcsmp.BytesMessage;
import com.solacesystems.jcsmp.DeliveryMode;
import com.solacesystems.jcsmp.Destination;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.SessionEvent;
import com.solacesystems.jcsmp.StaleSessionException;
import com.solacesystems.jcsmp.XMLMessage;
import dev.ldd.core.LddException;
import dev.ldd.core.spi.Publication;
import dev.ldd.solace.config.PublishDelivery;
import dev.ldd.solace.config.PublisherConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class SolacePublisherTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final MockJcsmp jcsmp = new MockJcsmp();
  private SolaceMessageSource source;

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  private SolacePublisher publisher(PublishDelivery delivery) {
    SessionConfig session = SessionConfig.of("tcp://broker:55555", "vpn-eu", "ldd", "pw", List.of(QueueConfig.named("q")));
    SolaceSourceConfig config = new SolaceSourceConfig(List.of(session), null, null, new PublisherConfig(null, delivery));
    source = new SolaceMessageSource("ldd-1", config, jcsmp, scheduler, name -> Runnable::run);
    source.start(new RecordingHandler());
    return source.publisher();
  }

  private static Publication publication() {
    return new Publication("orders/eu/enriched", "payload".getBytes(StandardCharsets.UTF_8), Map.of("tenant", "acme"), "corr-9");
  }

  private XMLMessage sent(MockJcsmp.Producer producer) throws JCSMPException {
    ArgumentCaptor<XMLMessage> message = ArgumentCaptor.forClass(XMLMessage.class);
    ArgumentCaptor<Destination> topic = ArgumentCaptor.forClass(Destination.class);
    verify(producer.producer()).send(message.capture(), topic.capture());
    assertThat(topic.getValue().getName()).isEqualTo("orders/eu/enriched");
    return message.getValue();
  }

  @Test
  void persistentPublishCarriesPayloadPropertiesAndCorrelation() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);

    publisher.publish(publication());

    XMLMessage m = sent(jcsmp.lastProducer());
    assertThat(m.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
    assertThat(((BytesMessage) m).getData()).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
    assertThat(m.getProperties().getString("tenant")).isEqualTo("acme");
    assertThat(m.getCorrelationId()).isEqualTo("corr-9");
    assertThat(m.getCorrelationKey()).isNotNull();
    assertThat(m.isDMQEligible()).isTrue();
  }

  @Test
  void publishCompletesOnlyOnTheBrokersResponse() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);

    CompletableFuture<Void> future = publisher.publish(publication());

    assertThat(future).isNotDone();
    MockJcsmp.Producer producer = jcsmp.lastProducer();
    producer.confirmations().responseReceivedEx(sent(producer).getCorrelationKey());
    assertThat(future).isCompleted();
  }

  @Test
  void publishFailsOnTheBrokersError() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);

    CompletableFuture<Void> future = publisher.publish(publication());
    MockJcsmp.Producer producer = jcsmp.lastProducer();
    producer.confirmations().handleErrorEx(sent(producer).getCorrelationKey(), new JCSMPException("queue full"), 0L);

    assertThat(future).isCompletedExceptionally();
    assertThat(future.handle((v, e) -> e).join())
        .isInstanceOf(LddException.class).hasMessageContaining("orders/eu/enriched").hasMessageContaining("queue full");
  }

  @Test
  void aStaleProducerIsRecreatedAndTheSendRetried() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    publisher.publish(publication()).getNow(null);
    MockJcsmp.Producer stale = jcsmp.lastProducer();
    doThrow(new StaleSessionException("closed", new JCSMPException("unsolicited close")))
        .when(stale.producer()).send(any(XMLMessage.class), any(Destination.class));

    CompletableFuture<Void> future = publisher.publish(publication());

    assertThat(jcsmp.producers).hasSize(2);
    MockJcsmp.Producer fresh = jcsmp.lastProducer();
    verify(stale.producer()).close();
    fresh.confirmations().responseReceivedEx(sent(fresh).getCorrelationKey());
    assertThat(future).isCompleted();
  }

  @Test
  void publishesAwaitingAStaleProducerFailRatherThanHang() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    CompletableFuture<Void> unconfirmed = publisher.publish(publication());
    MockJcsmp.Producer stale = jcsmp.lastProducer();
    doThrow(new StaleSessionException("closed", new JCSMPException("unsolicited close")))
        .when(stale.producer()).send(any(XMLMessage.class), any(Destination.class));

    publisher.publish(publication());

    assertThat(unconfirmed).isCompletedExceptionally();
  }

  @Test
  void afterASessionRebuildANewProducerIsUsed() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    publisher.publish(publication());
    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);

    CompletableFuture<Void> whileDown = publisher.publish(publication());
    scheduler.advance(Duration.ofSeconds(1));
    publisher.publish(publication());

    assertThat(whileDown).isCompletedExceptionally();
    assertThat(jcsmp.producers).hasSize(2);
    verify(jcsmp.lastSession()).getMessageProducer(any());
  }

  @Test
  void publishesAwaitingConfirmationFailWhenTheSessionGoesDown() {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    CompletableFuture<Void> future = publisher.publish(publication());

    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);

    assertThat(future).isCompletedExceptionally();
  }

  @Test
  void directPublishCompletesAtSend() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.DIRECT);

    CompletableFuture<Void> future = publisher.publish(publication());

    assertThat(future).isCompleted();
    assertThat(sent(jcsmp.lastProducer()).getDeliveryMode()).isEqualTo(DeliveryMode.DIRECT);
  }

  @Test
  void aSendErrorFailsTheFutureAtOnce() throws Exception {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    publisher.publish(publication());
    doThrow(new JCSMPException("message too big"))
        .when(jcsmp.lastProducer().producer()).send(any(XMLMessage.class), any(Destination.class));

    CompletableFuture<Void> future = publisher.publish(publication());

    assertThat(future).isCompletedExceptionally();
  }

  @Test
  void closingFailsUnconfirmedPublishes() {
    SolacePublisher publisher = publisher(PublishDelivery.PERSISTENT);
    CompletableFuture<Void> future = publisher.publish(publication());

    source.close();

    assertThat(future).isCompletedExceptionally();
    assertThat(publisher.publish(publication())).isCompletedExceptionally();
  }
}
