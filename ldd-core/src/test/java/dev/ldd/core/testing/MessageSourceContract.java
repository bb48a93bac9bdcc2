package dev.ldd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.MessageSource;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MessageSource} passes against its bus. An implementation's test extends
 * this class and supplies a source on a fresh queue and a way to put a message on that queue.
 */
public abstract class MessageSourceContract {
  private MessageSource current;

  /** A new, unstarted source reading the test's queue; several may share the queue. */
  protected abstract MessageSource createSource() throws Exception;

  /** Puts a message with {@code topic} and {@code payload} on the test's queue. */
  protected abstract void publish(String topic, byte[] payload) throws Exception;

  /** How long to wait for a delivery that should come. */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /** How long to wait for a delivery that should not come, before concluding it did not. */
  protected Duration quiet() {
    return Duration.ofMillis(200);
  }

  @AfterEach
  final void closeTheSource() {
    if (current != null) {
      current.close();
    }
  }

  private Receiver started() throws Exception {
    Receiver r = new Receiver();
    current = createSource();
    current.start(r);
    return r;
  }

  @Test
  void deliversWhatIsPublishedWithTopicAndPayload() throws Exception {
    Receiver r = started();
    publish("contract/a", "hello".getBytes());

    Delivery d = r.next();
    assertThat(d.message().topic()).isEqualTo("contract/a");
    assertThat(new String(d.message().payload())).isEqualTo("hello");
    assertThat(d.message().redelivered()).isFalse();
    d.settlement().accept();
  }

  @Test
  void failRedeliversWithTheRedeliveredFlag() throws Exception {
    Receiver r = started();
    publish("contract/b", new byte[] {1});

    r.next().settlement().fail();

    Delivery again = r.next();
    assertThat(again.message().redelivered()).isTrue();
    assertThat(again.message().effectiveDeliveryCount()).isGreaterThanOrEqualTo(2);
    again.settlement().accept();
  }

  @Test
  void acceptedAndRejectedMessagesAreNeverRedelivered() throws Exception {
    Receiver r = started();
    publish("contract/c", new byte[] {1});
    publish("contract/c", new byte[] {2});

    r.next().settlement().accept();
    r.next().settlement().reject();
    current.close();
    current = null;

    Receiver second = started();
    assertThat(second.none()).isTrue();
  }

  @Test
  void settlingTwiceIsANoOp() throws Exception {
    Receiver r = started();
    publish("contract/d", new byte[] {1});

    Delivery d = r.next();
    d.settlement().accept();
    d.settlement().fail();
    d.settlement().reject();

    assertThat(r.none()).isTrue();
  }

  @Test
  void nothingIsDeliveredWhilePausedAndDeliveryResumes() throws Exception {
    Receiver r = started();
    current.pause();
    publish("contract/e", new byte[] {1});

    assertThat(r.none()).isTrue();

    current.resume();
    r.next().settlement().accept();
  }

  @Test
  void closingLeavesUnsettledMessagesToTheBusForRedelivery() throws Exception {
    Receiver r = started();
    publish("contract/f", new byte[] {1});
    Delivery unsettled = r.next();

    current.close();
    current = null;
    unsettled.settlement().accept(); // after close: a no-op

    Receiver second = started();
    Delivery again = second.next();
    assertThat(again.message().topic()).isEqualTo("contract/f");
    assertThat(again.message().redelivered()).isTrue();
    again.settlement().accept();
  }

  private final class Receiver implements DeliveryHandler {
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    @Override
    public void onDelivery(Delivery delivery) {
      deliveries.add(delivery);
    }

    Delivery next() throws InterruptedException {
      Delivery d = deliveries.poll(patience().toMillis(), TimeUnit.MILLISECONDS);
      assertThat(d).as("a delivery within " + patience()).isNotNull();
      return d;
    }

    boolean none() throws InterruptedException {
      return deliveries.poll(quiet().toMillis(), TimeUnit.MILLISECONDS) == null;
    }
  }
}
