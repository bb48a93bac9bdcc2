package dev.ldd.core.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.MoreExecutors;
import dev.ldd.core.LddException;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.spi.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest {
  private final InMemoryBroker broker = new InMemoryBroker(MoreExecutors.directExecutor());
  private final List<Delivery> received = new ArrayList<>();
  private final DeliveryHandler collect = received::add;

  private void publish(String topic) {
    broker.publish(new Publication(topic, topic.getBytes(), Map.of())).join();
  }

  @Test
  void aPublicationIsStoredInEveryQueueWhoseSubscriptionMatches() {
    broker.createQueue("all", ">");
    broker.createQueue("eu", "orders/eu/>");
    broker.createQueue("none", "invoices/*");

    publish("orders/eu/1");

    assertThat(broker.stats("all").depth()).isEqualTo(1);
    assertThat(broker.stats("eu").depth()).isEqualTo(1);
    assertThat(broker.stats("none").depth()).isZero();
  }

  @Test
  void failRedeliversWithAnIncrementedCountUntilTheMaxRedeliveryBoundDeadLettersIt() {
    broker.createQueue("q", List.of("t/>"), 2);
    broker.source("q").start(collect);

    publish("t/1");
    for (int i = 0; i < 3; i++) {
      Delivery d = received.get(i);
      assertThat(d.message().deliveryCount()).hasValue(i + 1);
      assertThat(d.message().redelivered()).isEqualTo(i > 0);
      d.settlement().fail();
    }

    assertThat(received).hasSize(3);
    assertThat(broker.deadMessages()).singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("max redeliveries (2) exceeded"));
    assertThat(broker.stats("q")).satisfies(s -> {
      assertThat(s.depth()).isZero();
      assertThat(s.unsettled()).isZero();
      assertThat(s.failed()).isEqualTo(3);
      assertThat(s.deadLettered()).isEqualTo(1);
    });
  }

  @Test
  void aStaleHandleDoesNotSettleTheRedelivery() {
    broker.createQueue("q", "t/>");
    broker.source("q").start(collect);
    publish("t/1");
    Delivery first = received.get(0);

    first.settlement().fail();
    first.settlement().accept();

    assertThat(received).hasSize(2);
    assertThat(broker.stats("q").accepted()).isZero();
    assertThat(broker.stats("q").unsettled()).isEqualTo(1);
    received.get(1).settlement().accept();
    assertThat(broker.stats("q").accepted()).isEqualTo(1);
  }

  @Test
  void rejectMovesToTheDeadMessageQueueAtOnce() {
    broker.createQueue("q", "t/>");
    broker.source("q").start(collect);
    publish("t/1");

    received.get(0).settlement().reject();

    assertThat(broker.deadMessages()).singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("rejected"));
  }

  @Test
  void unsettledMessagesAreTrackedAndSharedRoundRobinBetweenSources() {
    broker.createQueue("q", "t/>");
    List<Delivery> other = new ArrayList<>();
    broker.source("q").start(collect);
    broker.source("q").start(other::add);

    for (int i = 0; i < 4; i++) {
      publish("t/" + i);
    }

    assertThat(received).hasSize(2);
    assertThat(other).hasSize(2);
    assertThat(broker.stats("q").unsettled()).isEqualTo(4);
  }

  @Test
  void aPauseFromInsideTheHandlerStopsTheNextDelivery() {
    broker.createQueue("q", "t/>");
    MessageSource source = broker.source("q");
    source.start(d -> {
      received.add(d);
      source.pause();
    });

    publish("t/1");
    publish("t/2");
    assertThat(received).hasSize(1);
    assertThat(broker.stats("q").depth()).isEqualTo(1);

    source.resume();
    assertThat(received).hasSize(2);
  }

  @Test
  void heldConfirmationsStoreNothingUntilReleasedAndRefusalsFail() {
    broker.createQueue("q", "t/>");
    broker.holdConfirmations(true);
    var confirmed = broker.publish(new Publication("t/1", new byte[0], Map.of()));
    assertThat(confirmed).isNotDone();
    assertThat(broker.stats("q").depth()).isZero();

    broker.releaseConfirmations();
    assertThat(confirmed).isCompleted();
    assertThat(broker.stats("q").depth()).isEqualTo(1);

    broker.holdConfirmations(false);
    broker.refusePublications(p -> true);
    assertThat(broker.publish(new Publication("t/2", new byte[0], Map.of()))).isCompletedExceptionally();
  }

  @Test
  void anUnknownQueueIsAClearError() {
    assertThatThrownBy(() -> broker.source("nope")).isInstanceOf(LddException.class)
        .hasMessageContaining("no queue 'nope'");
  }
}
