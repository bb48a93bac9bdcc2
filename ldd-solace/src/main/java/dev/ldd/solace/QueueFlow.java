package dev.ldd.solace;

import com.solacesystems.jcsmp.BytesXMLMessage;
import com.solacesystems.jcsmp.ConsumerFlowProperties;
import com.solacesystems.jcsmp.EndpointProperties;
import com.solacesystems.jcsmp.FlowEvent;
import com.solacesystems.jcsmp.FlowEventArgs;
import com.solacesystems.jcsmp.FlowEventHandler;
import com.solacesystems.jcsmp.FlowReceiver;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPFactory;
import com.solacesystems.jcsmp.JCSMPProperties;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.Queue;
import com.solacesystems.jcsmp.XMLMessage.Outcome;
import com.solacesystems.jcsmp.XMLMessageListener;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Settlement;
import dev.ldd.core.time.Scheduler;
import dev.ldd.solace.config.ProvisionConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.SettlementMode;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guaranteed flow of one queue, across its generations: binds it, turns its messages into
 * deliveries, settles them, and replaces the flow when it fails ({@code onException}) or, in
 * {@link SettlementMode#REBIND}, when a message fails. Replacement closes the old flow at once (so its
 * unsettled messages go back to the queue) and binds a new one after a back-off.
 *
 * <p>Threads: message and event callbacks arrive on the session's JCSMP dispatcher thread and only
 * hand over; binding and closing run on the session's rebuild thread; settlement runs on whatever
 * engine thread calls it.
 */
final class QueueFlow {
  private static final Logger log = LoggerFactory.getLogger(QueueFlow.class);

  private final QueueConfig config;
  private final Queue queue;
  private final DeliveryGate gate;
  private final Scheduler scheduler;
  private final Executor worker;
  private final Supplier<JCSMPSession> liveSession;
  private final Backoff recoveryBackoff;
  private final Backoff rebindBackoff;
  private FlowGeneration current;
  private boolean closed;

  QueueFlow(
      QueueConfig config,
      DeliveryGate gate,
      Scheduler scheduler,
      Executor worker,
      Supplier<JCSMPSession> liveSession,
      Backoff recoveryBackoff,
      Backoff rebindBackoff) {
    this.config = config;
    this.queue = JCSMPFactory.onlyInstance().createQueue(config.name());
    this.gate = gate;
    this.scheduler = scheduler;
    this.worker = worker;
    this.liveSession = liveSession;
    this.recoveryBackoff = recoveryBackoff;
    this.rebindBackoff = rebindBackoff;
  }

  String name() {
    return config.name();
  }

  /** Creates the queue if it is missing and adds its subscriptions, when configured. Blocks. */
  void provision(JCSMPSession session) throws JCSMPException {
    ProvisionConfig p = config.provision();
    if (p == null) {
      return;
    }
    EndpointProperties props = new EndpointProperties();
    props.setAccessType(p.exclusive() ? EndpointProperties.ACCESSTYPE_EXCLUSIVE : EndpointProperties.ACCESSTYPE_NONEXCLUSIVE);
    props.setPermission(EndpointProperties.PERMISSION_CONSUME);
    props.setMaxMsgRedelivery(p.maxRedelivery());
    session.provision(queue, props, JCSMPSession.FLAG_IGNORE_ALREADY_EXISTS | JCSMPSession.WAIT_FOR_CONFIRM);
    for (String subscription : p.subscriptions()) {
      session.addSubscription(queue, JCSMPFactory.onlyInstance().createTopic(subscription), JCSMPSession.WAIT_FOR_CONFIRM);
    }
    log.info("queue '{}' provisioned ({} subscriptions)", config.name(), p.subscriptions().size());
  }

  /** Binds a new generation of the flow on {@code session}; it starts unless the source is paused. Blocks. */
  void open(JCSMPSession session) throws JCSMPException {
    FlowGeneration generation = new FlowGeneration(config.name());
    ConsumerFlowProperties props = new ConsumerFlowProperties()
        .setEndpoint(queue)
        .setAckMode(JCSMPProperties.SUPPORTED_MESSAGE_ACK_CLIENT)
        .setTransportWindowSize(config.window())
        .setStartState(false)
        .setActiveFlowIndication(config.activeFlowIndication());
    if (config.settlement() == SettlementMode.SETTLE) {
      props.addRequiredSettlementOutcomes(Outcome.FAILED, Outcome.REJECTED);
    }
    FlowReceiver receiver = session.createFlow(new Listener(generation), props, null, new Events(generation));
    generation.bind(receiver);
    synchronized (this) {
      if (closed) {
        generation.kill();
        receiver.close();
        return;
      }
      current = generation;
    }
    gate.register(receiver);
  }

  /** The session died: the current generation is dead and its buffered deliveries are dropped. */
  void invalidate() {
    FlowGeneration dead;
    synchronized (this) {
      dead = current;
    }
    if (dead != null && dead.kill()) {
      gate.unregister(dead);
    }
  }

  /** Closes for good (the source is closing); the session's close takes the receiver down. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    invalidate();
  }

  /**
   * Replaces {@code generation}: closes it now, binds a new flow after the back-off. Only the first
   * call for a generation acts; a generation already replaced is left alone.
   */
  void replace(FlowGeneration generation, String reason, Backoff backoff) {
    if (!generation.kill()) {
      return;
    }
    gate.unregister(generation);
    Duration delay = backoff.next();
    log.warn("queue '{}': {}; closing the flow and binding it again in {} ms", config.name(), reason, delay.toMillis());
    // On the rebuild thread: fail() calls this from an engine thread, which must neither wait for the
    // close nor receive handler callbacks.
    worker.execute(() -> {
      closeQuietly(generation);
      emit("FLOW_REPLACED", reason + "; rebinding in " + delay.toMillis() + " ms");
    });
    scheduleReopen(generation, delay, backoff);
  }

  private void scheduleReopen(FlowGeneration dead, Duration delay, Backoff backoff) {
    scheduler.schedule(delay, () -> worker.execute(() -> reopen(dead, backoff)));
  }

  private void reopen(FlowGeneration dead, Backoff backoff) {
    synchronized (this) {
      if (closed || current != dead) {
        return; // closed, or a session rebuild has bound a new flow already
      }
    }
    JCSMPSession session = liveSession.get();
    if (session == null) {
      return; // the session is down; its rebuild binds every flow again
    }
    try {
      open(session);
      backoff.recovered();
      log.info("queue '{}': flow bound again", config.name());
      emit("FLOW_REBOUND", "flow bound again");
    } catch (JCSMPException | RuntimeException e) {
      Duration delay = backoff.next();
      log.warn("queue '{}': binding the flow failed ({}); retrying in {} ms", config.name(), e.toString(), delay.toMillis());
      scheduleReopen(dead, delay, backoff);
    }
  }

  private void closeQuietly(FlowGeneration generation) {
    FlowReceiver receiver = generation.receiver();
    if (receiver == null) {
      return;
    }
    try {
      receiver.close();
    } catch (RuntimeException e) {
      log.debug("closing a dead flow of queue '{}' failed: {}", config.name(), e.toString());
    }
  }

  private void emit(String event, String detail) {
    DeliveryHandler handler = gate.handler();
    if (handler == null) {
      return;
    }
    try {
      handler.onSourceEvent(config.name(), event, detail);
    } catch (RuntimeException e) {
      log.warn("delivery handler threw on source event {}: {}", event, e.toString());
    }
  }

  /** Message callbacks of one generation. */
  private final class Listener implements XMLMessageListener {
    private final FlowGeneration generation;

    Listener(FlowGeneration generation) {
      this.generation = generation;
    }

    @Override
    public void onReceive(BytesXMLMessage message) {
      if (generation.isDead()) {
        return; // the broker redelivers it on the new flow
      }
      InboundMessage inbound;
      try {
        inbound = InboundMessages.from(config.name(), message);
      } catch (RuntimeException e) {
        // Unreadable: it can never be processed, so it must not come back for ever.
        log.error("queue '{}': message {} could not be read and is rejected", config.name(), InboundMessages.logId(message), e);
        new FlowSettlement(generation, message).reject();
        return;
      }
      gate.offer(generation, new Delivery(inbound, new FlowSettlement(generation, message)));
    }

    @Override
    public void onException(JCSMPException e) {
      if (!generation.isDead()) {
        replace(generation, "flow failed: " + e.getMessage(), recoveryBackoff);
      }
    }
  }

  /** Flow events of one generation: active/inactive to the engine, the rest logged and passed on. */
  private final class Events implements FlowEventHandler {
    private final FlowGeneration generation;

    Events(FlowGeneration generation) {
      this.generation = generation;
    }

    @Override
    public void handleEvent(Object source, FlowEventArgs args) {
      if (generation.isDead()) {
        return;
      }
      FlowEvent event = args.getEvent();
      DeliveryHandler handler = gate.handler();
      if (event == FlowEvent.FLOW_ACTIVE || event == FlowEvent.FLOW_INACTIVE) {
        boolean active = event == FlowEvent.FLOW_ACTIVE;
        log.info("queue '{}': flow {}", config.name(), active ? "active" : "inactive");
        if (handler != null) {
          try {
            handler.onFlowActive(config.name(), active);
          } catch (RuntimeException e) {
            log.warn("delivery handler threw on flow {}: {}", event, e.toString());
          }
        }
        return;
      }
      // Transient: JCSMP recovers the flow itself. Rebuild only after onException.
      log.info("queue '{}': {} {}", config.name(), event, args.getInfo());
      emit(event.name(), args.getInfo());
    }
  }

  /** Settles one message of one generation; the first call wins, later ones are no-ops. */
  private final class FlowSettlement implements Settlement {
    private final FlowGeneration generation;
    private final BytesXMLMessage message;
    private final AtomicBoolean settled = new AtomicBoolean();

    FlowSettlement(FlowGeneration generation, BytesXMLMessage message) {
      this.generation = generation;
      this.message = message;
    }

    @Override
    public void accept() {
      if (claim()) {
        settle(Outcome.ACCEPTED);
      }
    }

    @Override
    public void fail() {
      if (!claim()) {
        return;
      }
      if (config.settlement() == SettlementMode.REBIND) {
        replace(generation, "message " + InboundMessages.logId(message) + " failed", rebindBackoff);
      } else {
        settle(Outcome.FAILED);
      }
    }

    @Override
    public void reject() {
      if (!claim()) {
        return;
      }
      if (config.settlement() == SettlementMode.REBIND) {
        // No NACK on this broker, so no way to send it to the DMQ: acknowledge it so that it never comes back.
        log.warn("queue '{}': message {} rejected; settlement mode 'rebind' cannot dead-letter on the broker, "
            + "so it is acknowledged and discarded", config.name(), InboundMessages.logId(message));
        settle(Outcome.ACCEPTED);
      } else {
        settle(Outcome.REJECTED);
      }
    }

    private boolean claim() {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      if (generation.isDead()) {
        log.debug("queue '{}': message {} is from a flow that no longer exists; the bus redelivers it",
            config.name(), InboundMessages.logId(message));
        return false;
      }
      return true;
    }

    private void settle(Outcome outcome) {
      try {
        message.settle(outcome);
      } catch (JCSMPException | RuntimeException e) {
        log.warn("queue '{}': settling message {} as {} failed ({}); the bus will redeliver it",
            config.name(), InboundMessages.logId(message), outcome, e.toString());
      }
    }
  }
}
