package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.solacesystems.jcsmp.BytesXMLMessage;
import com.solacesystems.jcsmp.ConsumerFlowProperties;
import com.solacesystems.jcsmp.EndpointProperties;
import com.solacesystems.jcsmp.FlowEvent;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPProperties;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.Queue;
import com.solacesystems.jcsmp.SessionEvent;
import com.solacesystems.jcsmp.Topic;
import com.solacesystems.jcsmp.XMLMessage.Outcome;
import dev.ldd.core.LddException;
import dev.ldd.core.spi.Delivery;
import dev.ldd.solace.config.ProvisionConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SettlementMode;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class SolaceMessageSourceTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final MockJcsmp jcsmp = new MockJcsmp();
  private final RecordingHandler handler = new RecordingHandler();
  private SolaceMessageSource source;

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  private SolaceMessageSource start(QueueConfig... queues) {
    SessionConfig session = new SessionConfig("eu", List.of("tcp://broker:55555"), "vpn-eu", "ldd", "pw", null, null,
        null, null, null, List.of(queues));
    source = new SolaceMessageSource("ldd-1", SolaceSourceConfig.of(session), jcsmp, scheduler, name -> Runnable::run);
    source.start(handler);
    return source;
  }

  private static QueueConfig queue(String name, int window, SettlementMode mode) {
    return new QueueConfig(name, window, true, mode, null);
  }

  private Delivery receive(String queue, BytesXMLMessage message) {
    int before = handler.deliveries.size();
    jcsmp.flow(queue).listener().onReceive(message);
    assertThat(handler.deliveries).hasSize(before + 1);
    return handler.last();
  }

  @Test
  void flowIsCreatedInClientAckModeWithConfiguredWindowAndOutcomes() throws Exception {
    start(queue("orders", 32, SettlementMode.SETTLE));

    ArgumentCaptor<ConsumerFlowProperties> props = ArgumentCaptor.forClass(ConsumerFlowProperties.class);
    verify(jcsmp.lastSession()).createFlow(any(), props.capture(), (EndpointProperties) any(), any());
    ConsumerFlowProperties fp = props.getValue();
    assertThat(fp.getEndpoint()).isInstanceOf(Queue.class);
    assertThat(fp.getEndpoint().getName()).isEqualTo("orders");
    assertThat(fp.getAckMode()).isEqualTo(JCSMPProperties.SUPPORTED_MESSAGE_ACK_CLIENT);
    assertThat(fp.getTransportWindowSize()).isEqualTo(32);
    assertThat(fp.getRequiredSettlementOutcomes()).contains(Outcome.FAILED, Outcome.REJECTED);
    assertThat(fp.isActiveFlowIndication()).isTrue();
    assertThat(fp.isStartState()).isFalse();
    verify(jcsmp.flow("orders").receiver()).start();
  }

  @Test
  void eachSessionHasItsOwnContextAndIsConnectedOnStart() throws Exception {
    start(QueueConfig.named("orders"), QueueConfig.named("payments"));

    assertThat(jcsmp.sessions).hasSize(1);
    verify(jcsmp.lastSession()).connect();
    assertThat(jcsmp.flows).extracting(MockJcsmp.Flow::queue).containsExactly("orders", "payments");
    assertThat(jcsmp.properties.get(0).getStringProperty(JCSMPProperties.CLIENT_NAME)).isEqualTo("ldd-1/eu");
  }

  @Test
  void rebindModeFlowDoesNotRequireNackOutcomes() {
    start(queue("orders", 10, SettlementMode.REBIND));

    assertThat(jcsmp.flow("orders").properties().getRequiredSettlementOutcomes())
        .doesNotContain(Outcome.FAILED, Outcome.REJECTED);
  }

  @Test
  void eachOutcomeSettlesAsMappedAndSettlingTwiceIsANoOp() throws Exception {
    start(QueueConfig.named("orders"));
    BytesXMLMessage accepted = Messages.bytes("orders/1", "a");
    BytesXMLMessage failed = Messages.bytes("orders/2", "b");
    BytesXMLMessage rejected = Messages.bytes("orders/3", "c");

    Delivery a = receive("orders", accepted);
    Delivery f = receive("orders", failed);
    Delivery r = receive("orders", rejected);
    a.settlement().accept();
    f.settlement().fail();
    r.settlement().reject();
    a.settlement().fail();
    f.settlement().accept();
    r.settlement().reject();

    verify(accepted, times(1)).settle(any());
    verify(accepted).settle(Outcome.ACCEPTED);
    verify(failed, times(1)).settle(any());
    verify(failed).settle(Outcome.FAILED);
    verify(rejected, times(1)).settle(any());
    verify(rejected).settle(Outcome.REJECTED);
  }

  @Test
  void aSettleErrorFromTheBrokerIsSwallowedAndTheMessageLeftToRedelivery() throws Exception {
    start(QueueConfig.named("orders"));
    BytesXMLMessage m = Messages.bytes("orders/1", "a");
    org.mockito.Mockito.doThrow(new JCSMPException("session reconnecting")).when(m).settle(Outcome.FAILED);

    receive("orders", m).settlement().fail();

    verify(m).settle(Outcome.FAILED);
  }

  @Test
  void dispatcherThreadIsNeverBlockedWhileTheEngineIsPausedAndBufferedMessagesComeOutOnResumeInOrder() throws Exception {
    start(QueueConfig.named("orders"));
    MockJcsmp.Flow flow = jcsmp.flow("orders");
    // A saturated engine pauses the source from inside its second delivery.
    handler.then = d -> {
      if (handler.deliveries.size() == 2) {
        source.pause();
      }
    };

    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        IntStream.rangeClosed(1, 7).forEach(i -> flow.listener().onReceive(Messages.bytes("orders/" + i, "m" + i))));

    assertThat(handler.payloads()).containsExactly("m1", "m2");
    verify(flow.receiver()).stop();

    handler.then = d -> {};
    source.resume();

    assertThat(handler.payloads()).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
    InOrder order = inOrder(flow.receiver());
    order.verify(flow.receiver()).stop();
    order.verify(flow.receiver()).start();
  }

  @Test
  void noMessageIsLostOrReorderedAndNoneArrivesWhilePausedWhenPauseAndResumeRaceTheDispatcher() throws Exception {
    int count = 2000;
    List<BytesXMLMessage> messages = IntStream.range(0, count).mapToObj(i -> Messages.bytes("orders/x", "m" + i)).toList();
    ExecutorService deliver = Executors.newSingleThreadExecutor();
    SessionConfig session = SessionConfig.of("tcp://broker:55555", "vpn-eu", "ldd", "pw", List.of(QueueConfig.named("orders")));
    source = new SolaceMessageSource("ldd-1", SolaceSourceConfig.of(session), jcsmp, scheduler,
        name -> name.equals("ldd-solace-deliver") ? deliver : Runnable::run);
    AtomicBoolean engineSaysPaused = new AtomicBoolean();
    AtomicInteger deliveredWhilePaused = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(count);
    handler.then = d -> {
      if (engineSaysPaused.get()) {
        deliveredWhilePaused.incrementAndGet();
      }
      all.countDown();
    };
    source.start(handler);
    MockJcsmp.Flow flow = jcsmp.flow("orders");

    Thread dispatcher = new Thread(() -> messages.forEach(m -> flow.listener().onReceive(m)), "fake-jcsmp-dispatcher");
    Thread engine = new Thread(() -> {
      while (all.getCount() > 0) {
        source.pause();
        engineSaysPaused.set(true);
        Thread.yield();
        engineSaysPaused.set(false);
        source.resume();
      }
    }, "fake-engine");
    try {
      dispatcher.start();
      engine.start();
      assertThat(all.await(20, TimeUnit.SECONDS)).as("every message delivered").isTrue();
      dispatcher.join();
      engine.join();
    } finally {
      deliver.shutdownNow();
    }

    assertThat(handler.payloads()).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "m" + i).toList());
    assertThat(deliveredWhilePaused).hasValue(0);
  }

  @Test
  void messagesArrivingAfterResumeQueueBehindTheBufferedOnes() {
    start(QueueConfig.named("orders"));
    MockJcsmp.Flow flow = jcsmp.flow("orders");
    source.pause();
    flow.listener().onReceive(Messages.bytes("orders/1", "m1"));
    // While the buffer drains, the dispatcher delivers a new message: it must come after m1.
    handler.then = d -> {
      if (handler.deliveries.size() == 1) {
        flow.listener().onReceive(Messages.bytes("orders/2", "m2"));
      }
    };

    source.resume();

    assertThat(handler.payloads()).containsExactly("m1", "m2");
  }

  @Test
  void pauseAndResumeAreIdempotentAndFlowsBoundWhilePausedStayStopped() throws Exception {
    start(QueueConfig.named("orders"));
    MockJcsmp.Flow first = jcsmp.flow("orders");
    source.pause();
    source.pause();
    verify(first.receiver(), times(1)).stop();

    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);
    scheduler.advance(Duration.ofSeconds(1));
    MockJcsmp.Flow second = jcsmp.flow("orders");
    assertThat(second).isNotEqualTo(first);
    verify(second.receiver(), never()).start();

    source.resume();
    source.resume();
    verify(second.receiver(), times(1)).start();
  }

  @Test
  void activeFlowIndicationIsPassedToTheEngine() {
    start(QueueConfig.named("orders"));

    jcsmp.flow("orders").event(FlowEvent.FLOW_ACTIVE);
    jcsmp.flow("orders").event(FlowEvent.FLOW_INACTIVE);

    assertThat(handler.flowActivity).containsExactly("orders active", "orders inactive");
  }

  @Test
  void transientEventsAreExportedButDoNotRebuildTheFlowOrSession() throws Exception {
    start(QueueConfig.named("orders"));
    MockJcsmp.Flow flow = jcsmp.flow("orders");

    flow.event(FlowEvent.FLOW_RECONNECTING);
    flow.event(FlowEvent.FLOW_DOWN);
    flow.event(FlowEvent.FLOW_RECONNECTED);
    jcsmp.sessionEvent(SessionEvent.RECONNECTING);
    jcsmp.sessionEvent(SessionEvent.RECONNECTED);
    scheduler.advance(Duration.ofMinutes(5));

    assertThat(handler.events).containsExactly("orders FLOW_RECONNECTING", "orders FLOW_DOWN",
        "orders FLOW_RECONNECTED", "orders RECONNECTING", "orders RECONNECTED");
    assertThat(jcsmp.sessions).hasSize(1);
    assertThat(jcsmp.flows).hasSize(1);
    verify(flow.receiver(), never()).close();
    verify(jcsmp.lastSession(), never()).closeSession();
  }

  @Test
  void downErrorRebuildsTheSessionAndItsFlowsAfterBackoff() throws Exception {
    start(QueueConfig.named("orders"));
    JCSMPSession dead = jcsmp.lastSession();

    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);

    assertThat(handler.events).containsExactly("orders DOWN_ERROR");
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
    assertThat(jcsmp.sessions).hasSize(1);

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(jcsmp.sessions).hasSize(2);
    verify(dead).closeSession();
    JCSMPSession fresh = jcsmp.lastSession();
    verify(fresh).connect();
    assertThat(jcsmp.flow("orders").session()).isSameAs(fresh);
    verify(jcsmp.flow("orders").receiver()).start();
    assertThat(handler.events).endsWith("orders REBUILT");
  }

  @Test
  void aFailedRebuildIsRetriedWithGrowingBackoff() {
    start(QueueConfig.named("orders"));

    jcsmp.connectFailure = new JCSMPException("broker unreachable");
    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(jcsmp.sessions).hasSize(2);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(2));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(jcsmp.sessions).hasSize(3);
    assertThat(jcsmp.flow("orders").session()).isSameAs(jcsmp.lastSession());
  }

  @Test
  void settlementOfADeliveryFromADeadFlowIsANoOpAfterRebuild() throws Exception {
    start(QueueConfig.named("orders"));
    BytesXMLMessage old = Messages.bytes("orders/1", "old");
    Delivery delivery = receive("orders", old);

    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);
    scheduler.advance(Duration.ofSeconds(1));
    delivery.settlement().accept();
    delivery.settlement().fail();

    verify(old, never()).settle(any());
    // The message comes back on the new flow and settles there.
    BytesXMLMessage again = Messages.bytes("orders/1", "old");
    receive("orders", again).settlement().accept();
    verify(again).settle(Outcome.ACCEPTED);
  }

  @Test
  void messagesBufferedFromADeadFlowAreDroppedNotDelivered() {
    start(QueueConfig.named("orders"));
    source.pause();
    jcsmp.flow("orders").listener().onReceive(Messages.bytes("orders/1", "stale"));

    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);
    scheduler.advance(Duration.ofSeconds(1));
    source.resume();

    assertThat(handler.deliveries).isEmpty();
  }

  @Test
  void lateEventsOfAReplacedSessionAreIgnored() {
    start(QueueConfig.named("orders"));
    var oldHandler = jcsmp.sessionHandlers.get(0);
    jcsmp.sessionEvent(SessionEvent.DOWN_ERROR);
    scheduler.advance(Duration.ofSeconds(1));

    oldHandler.handleEvent(new com.solacesystems.jcsmp.impl.SessionEventArgsImpl(SessionEvent.DOWN_ERROR, "late", null, 0));
    scheduler.advance(Duration.ofMinutes(5));

    assertThat(jcsmp.sessions).hasSize(2);
  }

  @Test
  void flowExceptionRebindsThatFlowOnTheSameSessionAfterBackoff() throws Exception {
    start(QueueConfig.named("orders"), QueueConfig.named("payments"));
    MockJcsmp.Flow failed = jcsmp.flow("orders");

    failed.listener().onException(new JCSMPException("queue shut down"));

    verify(failed.receiver()).close();
    assertThat(jcsmp.flows("orders")).hasSize(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(jcsmp.flows("orders")).hasSize(2);
    assertThat(jcsmp.flow("orders").session()).isSameAs(failed.session());
    assertThat(jcsmp.flows("payments")).hasSize(1);
    assertThat(jcsmp.sessions).hasSize(1);
  }

  @Test
  void rebindModeClosesAndRestartsTheFlowWithGrowingBackoff() throws Exception {
    start(queue("orders", 10, SettlementMode.REBIND));

    // A poison message fails right after every rebind.
    List<Duration> delays = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 4; attempt++) {
      MockJcsmp.Flow flow = jcsmp.flow("orders");
      BytesXMLMessage poison = Messages.bytes("orders/1", "poison");
      receive("orders", poison).settlement().fail();

      verify(poison, never()).settle(any());
      verify(flow.receiver()).close();
      delays.add(scheduler.pendingDelays().get(0));
      scheduler.advance(delays.get(attempt));
      assertThat(jcsmp.flows("orders")).hasSize(attempt + 2);
    }

    assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8));
  }

  @Test
  void rebindBackoffStartsOverAfterAQuietPeriod() {
    start(queue("orders", 10, SettlementMode.REBIND));
    receive("orders", Messages.bytes("orders/1", "x")).settlement().fail();
    scheduler.advance(Duration.ofSeconds(1));
    receive("orders", Messages.bytes("orders/1", "x")).settlement().fail();
    scheduler.advance(Duration.ofSeconds(2));

    scheduler.advance(Duration.ofSeconds(31)); // longer than the 30 s cap without a failure
    receive("orders", Messages.bytes("orders/1", "x")).settlement().fail();

    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void rebindModeAcceptsAcknowledgesAndRejectAcknowledgesInsteadOfDeadLettering() throws Exception {
    start(queue("orders", 10, SettlementMode.REBIND));
    BytesXMLMessage ok = Messages.bytes("orders/1", "ok");
    BytesXMLMessage poison = Messages.bytes("orders/2", "poison");

    receive("orders", ok).settlement().accept();
    receive("orders", poison).settlement().reject();

    verify(ok).settle(Outcome.ACCEPTED);
    verify(poison).settle(Outcome.ACCEPTED);
    verify(jcsmp.flow("orders").receiver(), never()).close();
  }

  @Test
  void inRebindModeOtherDeliveriesOfTheReboundFlowCannotBeSettled() throws Exception {
    start(queue("orders", 10, SettlementMode.REBIND));
    BytesXMLMessage inFlight = Messages.bytes("orders/1", "a");
    Delivery other = receive("orders", inFlight);

    receive("orders", Messages.bytes("orders/2", "b")).settlement().fail();
    other.settlement().accept();

    verify(inFlight, never()).settle(any());
  }

  @Test
  void missingQueuesAndTheirSubscriptionsAreProvisionedWhenConfigured() throws Exception {
    start(new QueueConfig("orders", null, null, null, new ProvisionConfig(true, List.of("orders/>", "legacy/orders"), 3)));
    JCSMPSession session = jcsmp.lastSession();

    ArgumentCaptor<EndpointProperties> props = ArgumentCaptor.forClass(EndpointProperties.class);
    verify(session).provision(any(Queue.class), props.capture(), eq((long) (JCSMPSession.FLAG_IGNORE_ALREADY_EXISTS | JCSMPSession.WAIT_FOR_CONFIRM)));
    assertThat(props.getValue().getAccessType()).isEqualTo(EndpointProperties.ACCESSTYPE_EXCLUSIVE);
    assertThat(props.getValue().getMaxMsgRedelivery()).isEqualTo(3);
    ArgumentCaptor<Topic> topics = ArgumentCaptor.forClass(Topic.class);
    verify(session, times(2)).addSubscription(any(Queue.class), topics.capture(), eq(JCSMPSession.WAIT_FOR_CONFIRM));
    assertThat(topics.getAllValues()).extracting(Topic::getName).containsExactly("orders/>", "legacy/orders");
    InOrder order = inOrder(session);
    order.verify(session).provision(any(), any(), anyLong());
    order.verify(session).createFlow(any(), any(), any(), any());
  }

  @Test
  void queuesAreNotProvisionedUnlessConfigured() throws Exception {
    start(QueueConfig.named("orders"));

    verify(jcsmp.lastSession(), never()).provision(any(), any(), anyLong());
  }

  @Test
  void startFailsWithAnLddExceptionNamingTheSessionWhenTheBrokerCannotBeReached() {
    jcsmp.connectFailure = new JCSMPException("connection refused");

    assertThatThrownBy(() -> start(QueueConfig.named("orders")))
        .isInstanceOf(LddException.class)
        .hasMessageContaining("session 'eu'")
        .hasMessageContaining("vpn-eu")
        .hasMessageContaining("connection refused");
    verify(jcsmp.lastSession()).closeSession();
  }

  @Test
  void closeDisconnectsAndLeavesUnsettledMessagesToTheBus() throws Exception {
    start(QueueConfig.named("orders"));
    BytesXMLMessage m = Messages.bytes("orders/1", "a");
    Delivery d = receive("orders", m);

    source.close();
    source.close();
    d.settlement().accept();
    jcsmp.flows.get(0).listener().onReceive(Messages.bytes("orders/2", "late"));

    verify(m, never()).settle(any());
    verify(jcsmp.lastSession(), times(1)).closeSession();
    verify(jcsmp.context).destroy();
    assertThat(handler.deliveries).hasSize(1);
  }
}
