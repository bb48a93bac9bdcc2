package dev.ldd.solace;

import com.solacesystems.jcsmp.BytesMessage;
import com.solacesystems.jcsmp.DeliveryMode;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPFactory;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.JCSMPStreamingPublishCorrelatingEventHandler;
import com.solacesystems.jcsmp.SDTException;
import com.solacesystems.jcsmp.SDTMap;
import com.solacesystems.jcsmp.StaleSessionException;
import com.solacesystems.jcsmp.Topic;
import com.solacesystems.jcsmp.XMLMessageProducer;
import dev.ldd.core.LddException;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.Publication;
import dev.ldd.solace.config.PublishDelivery;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes on one session of a {@link SolaceMessageSource} (see {@link SolaceMessageSource#publisher()}).
 * Persistent publishes carry a correlation key; the future completes when the broker confirms the
 * message and fails with the broker's error. Futures are completed on the session's
 * {@code ldd-solace-publish-<session>} thread, never on JCSMP's dispatcher thread, so dependants may
 * settle messages. In {@link PublishDelivery#DIRECT} mode the future completes once the message is sent.
 *
 * <p>{@link #publish} may be called from any thread. It blocks only while JCSMP takes the message,
 * which can wait for room in the publish window ({@code publishWindow} unconfirmed messages). A
 * producer that went stale (the session was closed under it) is replaced and the send retried once;
 * a publish on a session that is down fails at once.
 */
public final class SolacePublisher implements MessagePublisher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SolacePublisher.class);

  /** The correlation key of one persistent publish. */
  private static final class Pending {
    final String topic;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    volatile XMLMessageProducer producer;

    Pending(String topic) {
      this.topic = topic;
    }
  }

  private final String sessionName;
  private final Supplier<JCSMPSession> sessions;
  private final PublishDelivery delivery;
  private final Executor completions;
  private final Set<Pending> outstanding = ConcurrentHashMap.newKeySet();
  private final Confirmations confirmations = new Confirmations();
  private XMLMessageProducer producer;
  private JCSMPSession producerSession;
  private boolean closed;

  SolacePublisher(String sessionName, Supplier<JCSMPSession> sessions, PublishDelivery delivery, Executor completions) {
    this.sessionName = sessionName;
    this.sessions = sessions;
    this.delivery = delivery;
    this.completions = completions;
  }

  @Override
  public CompletableFuture<Void> publish(Publication publication) {
    Pending pending = new Pending(publication.topic());
    try {
      BytesMessage message = toMessage(publication);
      Topic topic = JCSMPFactory.onlyInstance().createTopic(publication.topic());
      if (delivery == PublishDelivery.PERSISTENT) {
        message.setCorrelationKey(pending);
        outstanding.add(pending);
      }
      send(message, topic, pending);
      if (delivery == PublishDelivery.DIRECT) {
        pending.future.complete(null);
      }
    } catch (JCSMPException | RuntimeException e) {
      outstanding.remove(pending);
      pending.future.completeExceptionally(e instanceof LddException le ? le
          : new LddException("publish to '" + publication.topic() + "' on session '" + sessionName + "' failed: " + e, e));
    }
    return pending.future;
  }

  /** Fails every unconfirmed publish and closes the producer. Idempotent. */
  @Override
  public void close() {
    XMLMessageProducer p;
    synchronized (this) {
      closed = true;
      p = producer;
      producer = null;
    }
    if (p != null) {
      p.close();
    }
    failOutstanding(null, "the publisher closed before the broker confirmed the message");
  }

  /**
   * The session went down for good: no confirmation will come for what is outstanding, so fail it now
   * (the caller's message goes back to the bus) instead of leaving the futures hanging until the next publish.
   */
  void sessionLost() {
    XMLMessageProducer p;
    synchronized (this) {
      p = producer;
    }
    if (p != null) {
      discard(p);
    }
  }

  private void send(BytesMessage message, Topic topic, Pending pending) throws JCSMPException {
    XMLMessageProducer p = producer();
    pending.producer = p;
    try {
      p.send(message, topic);
    } catch (StaleSessionException e) {
      log.info("session '{}': producer went stale ({}); creating a new one", sessionName, e.getMessage());
      pending.producer = null; // this one is retried, not failed with the others
      discard(p);
      XMLMessageProducer fresh = producer();
      pending.producer = fresh;
      fresh.send(message, topic);
    }
  }

  private synchronized XMLMessageProducer producer() throws JCSMPException {
    if (closed) {
      throw new LddException("publisher of session '" + sessionName + "' is closed");
    }
    JCSMPSession session = sessions.get();
    if (session == null) {
      throw new LddException("session '" + sessionName + "' is down; the publish failed, retry once it is back");
    }
    if (producer != null && (producerSession != session || producer.isClosed())) {
      discard(producer);
    }
    if (producer == null) {
      producer = session.getMessageProducer(confirmations);
      producerSession = session;
    }
    return producer;
  }

  /** Drops a dead producer; publishes it had not confirmed are failed, since no confirmation will come. */
  private void discard(XMLMessageProducer dead) {
    synchronized (this) {
      if (producer == dead) {
        producer = null;
        producerSession = null;
      }
    }
    try {
      dead.close();
    } catch (RuntimeException e) {
      log.debug("closing a stale producer failed: {}", e.toString());
    }
    failOutstanding(dead, "the producer was replaced before the broker confirmed the message");
  }

  private void failOutstanding(XMLMessageProducer of, String why) {
    for (Pending p : outstanding) {
      if ((of == null || p.producer == of) && outstanding.remove(p)) {
        complete(p, new LddException("publish to '" + p.topic + "' on session '" + sessionName + "': " + why));
      }
    }
  }

  private BytesMessage toMessage(Publication publication) throws SDTException {
    BytesMessage message = JCSMPFactory.onlyInstance().createMessage(BytesMessage.class);
    message.setData(publication.payload());
    message.setDeliveryMode(delivery == PublishDelivery.PERSISTENT ? DeliveryMode.PERSISTENT : DeliveryMode.DIRECT);
    // So that a consumer rejecting it (or the queue's redelivery bound) sends it to the dead-message queue.
    message.setDMQEligible(true);
    if (publication.correlationId() != null) {
      message.setCorrelationId(publication.correlationId());
    }
    if (!publication.properties().isEmpty()) {
      SDTMap map = JCSMPFactory.onlyInstance().createMap();
      for (Map.Entry<String, String> e : publication.properties().entrySet()) {
        map.putString(e.getKey(), e.getValue());
      }
      message.setProperties(map);
    }
    return message;
  }

  private void complete(Pending pending, Throwable error) {
    Runnable done = error == null ? () -> pending.future.complete(null) : () -> pending.future.completeExceptionally(error);
    try {
      completions.execute(done);
    } catch (RejectedExecutionException e) {
      done.run(); // closing: complete here rather than never
    }
  }

  /** The broker's confirmations, on JCSMP's dispatcher thread: hand the completion on. */
  private final class Confirmations implements JCSMPStreamingPublishCorrelatingEventHandler {
    @Override
    public void responseReceivedEx(Object key) {
      if (key instanceof Pending p && outstanding.remove(p)) {
        complete(p, null);
      }
    }

    @Override
    public void handleErrorEx(Object key, JCSMPException cause, long timestamp) {
      if (key instanceof Pending p) {
        if (outstanding.remove(p)) {
          complete(p, new LddException("broker refused the publish to '" + p.topic + "' on session '"
              + sessionName + "': " + cause.getMessage(), cause));
        }
      } else {
        log.warn("session '{}': publish error without a known correlation key: {}", sessionName, cause.toString());
      }
    }
  }
}
