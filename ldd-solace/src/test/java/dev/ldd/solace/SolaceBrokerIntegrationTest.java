package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.time.SystemScheduler;
import dev.ldd.solace.config.BackoffConfig;
import dev.ldd.solace.config.ProvisionConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SettlementMode;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real PubSub+ broker, when the environment names one:
 * {@code LDD_SOLACE_HOST} (such as {@code tcp://localhost:55555}), {@code LDD_SOLACE_VPN},
 * {@code LDD_SOLACE_USER}, {@code LDD_SOLACE_PASSWORD}, {@code LDD_SOLACE_QUEUE} (created if missing,
 * with the subscription {@code ldd/it/>}); optionally {@code LDD_SOLACE_DMQ}, the queue's dead-message
 * queue, to check that a rejected message lands there. Skipped otherwise. Needs broker 10.2.1+ (NACK).
 */
class SolaceBrokerIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = System.getenv("LDD_SOLACE_HOST");

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final SystemScheduler scheduler = new SystemScheduler();
  private SolaceMessageSource source;
  private SolaceMessageSource dmqSource;

  /** Hands this run's deliveries to the test; leftovers of earlier runs are acknowledged away. */
  private final class Inbox implements DeliveryHandler {
    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    @Override
    public void onDelivery(Delivery delivery) {
      if (delivery.message().topic().startsWith("ldd/it/" + run + "/")) {
        deliveries.add(delivery);
      } else {
        delivery.settlement().accept();
      }
    }

    Delivery next() throws InterruptedException {
      Delivery d = deliveries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(d).as("a delivery within " + WAIT).isNotNull();
      return d;
    }
  }

  @BeforeEach
  void requireBroker() {
    Assumptions.assumeTrue(HOST != null && !HOST.isBlank(),
        "skipped: set LDD_SOLACE_HOST (e.g. tcp://localhost:55555), LDD_SOLACE_VPN, LDD_SOLACE_USER, "
            + "LDD_SOLACE_PASSWORD and LDD_SOLACE_QUEUE to run against a real broker");
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    if (dmqSource != null) {
      dmqSource.close();
    }
    scheduler.close();
  }

  private static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v;
  }

  private SolaceMessageSource start(QueueConfig queue, Inbox inbox, String daemonId) {
    SessionConfig session = new SessionConfig("it", List.of(HOST), env("LDD_SOLACE_VPN", "default"),
        env("LDD_SOLACE_USER", "default"), env("LDD_SOLACE_PASSWORD", ""), null, null, null, null, null, List.of(queue));
    BackoffConfig quick = new BackoffConfig(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0);
    SolaceMessageSource s = new SolaceMessageSource(daemonId,
        new SolaceSourceConfig(List.of(session), quick, quick, null), SessionFactory.jcsmp(), scheduler);
    s.start(inbox);
    return s;
  }

  private QueueConfig queue(SettlementMode mode) {
    return new QueueConfig(env("LDD_SOLACE_QUEUE", "ldd-it"), 16, true, mode,
        new ProvisionConfig(false, List.of("ldd/it/>"), 0));
  }

  private void publish(String leaf, String payload) throws Exception {
    source.publisher().publish(new Publication("ldd/it/" + run + "/" + leaf,
        payload.getBytes(StandardCharsets.UTF_8), Map.of("run", run), "corr-" + leaf)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void publishedMessageIsConsumedWithItsMetadataAndAcceptedForGood() throws Exception {
    Inbox inbox = new Inbox();
    source = start(queue(SettlementMode.SETTLE), inbox, "ldd-it-" + run);

    publish("accept", "hello");
    Delivery d = inbox.next();

    assertThat(new String(d.message().payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(d.message().topic()).isEqualTo("ldd/it/" + run + "/accept");
    assertThat(d.message().properties()).containsEntry("run", run);
    assertThat(d.message().correlationId()).isEqualTo("corr-accept");
    assertThat(d.message().redelivered()).isFalse();
    d.settlement().accept();
    assertThat(inbox.deliveries.poll(2, TimeUnit.SECONDS)).as("an accepted message is not redelivered").isNull();
  }

  @Test
  void failedMessageIsRedelivered() throws Exception {
    Inbox inbox = new Inbox();
    source = start(queue(SettlementMode.SETTLE), inbox, "ldd-it-" + run);

    publish("fail", "again");
    inbox.next().settlement().fail();
    Delivery again = inbox.next();

    assertThat(new String(again.message().payload(), StandardCharsets.UTF_8)).isEqualTo("again");
    assertThat(again.message().effectiveDeliveryCount()).isGreaterThanOrEqualTo(2);
    again.settlement().accept();
  }

  @Test
  void inRebindModeAFailedMessageIsRedeliveredAfterTheFlowIsBoundAgain() throws Exception {
    Inbox inbox = new Inbox();
    source = start(queue(SettlementMode.REBIND), inbox, "ldd-it-" + run);

    publish("rebind", "back");
    inbox.next().settlement().fail();
    Delivery again = inbox.next();

    assertThat(again.message().redelivered()).isTrue();
    again.settlement().accept();
  }

  @Test
  void rejectedMessageIsNotRedeliveredAndGoesToTheDeadMessageQueue() throws Exception {
    Inbox inbox = new Inbox();
    source = start(queue(SettlementMode.SETTLE), inbox, "ldd-it-" + run);

    publish("reject", "poison");
    inbox.next().settlement().reject();

    assertThat(inbox.deliveries.poll(3, TimeUnit.SECONDS)).as("a rejected message is not redelivered").isNull();
    String dmq = System.getenv("LDD_SOLACE_DMQ");
    if (dmq != null && !dmq.isBlank()) {
      Inbox dead = new Inbox();
      dmqSource = start(QueueConfig.named(dmq), dead, "ldd-it-dmq-" + run);
      Delivery d = dead.next();
      assertThat(new String(d.message().payload(), StandardCharsets.UTF_8)).isEqualTo("poison");
      d.settlement().accept();
    }
  }
}
