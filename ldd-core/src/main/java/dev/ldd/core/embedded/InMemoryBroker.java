package dev.ldd.core.embedded;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.MoreExecutors;
import dev.ldd.core.LddException;
import dev.ldd.core.routing.TopicSubscription;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.Settlement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An in-memory message bus with the guaranteed-delivery semantics LDD relies on: the embedded default
 * source of the daemon, and the bus of tests.
 *
 * <ul>
 *   <li>Queues subscribe to topics (Solace wildcard rules); a publication is stored in every queue whose
 *       subscriptions match its topic, and confirmed once stored. Nothing matching: it is dropped, as on
 *       a real bus.
 *   <li>A delivered message stays unsettled until settled. {@code fail()} puts it back at the head of
 *       its queue, redelivered with its delivery count incremented, until the queue's max-redelivery
 *       bound moves it to the dead-message queue; {@code reject()} moves it there at once.
 *   <li>Closing a source returns its unsettled messages to their queues; settling them afterwards is a
 *       no-op, as with a dead flow.
 * </ul>
 *
 * Thread-safe. Deliveries are made one at a time by a dispatch executor (one thread by default; a
 * direct executor makes everything run on the calling thread, for deterministic tests). The handler is
 * never called with the broker's lock held.
 */
public final class InMemoryBroker implements MessagePublisher, AutoCloseable {
  /** A message moved to the dead-message queue, with why. */
  public record DeadMessage(String queue, InboundMessage message, String reason) {}

  /** Counters of one queue. */
  public record QueueStats(String queue, int depth, int unsettled, long delivered, long accepted, long failed,
      long deadLettered) {}

  /** The publication property the embedded bus carries as a message's reply-to destination. */
  public static final String REPLY_TO_PROPERTY = "ldd.replyTo";

  private final Object lock = new Object();
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final List<DeadMessage> deadMessages = new ArrayList<>();
  private final Executor dispatch;
  private final Runnable closeDispatch;
  private long sequence;
  private boolean holdConfirmations;
  private final List<Runnable> held = new ArrayList<>();
  private Predicate<Publication> refuse = p -> false;

  /** A broker delivering on its own thread, {@code ldd-embedded-dispatch}. */
  public InMemoryBroker() {
    java.util.concurrent.ExecutorService e = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ldd-embedded-dispatch");
      t.setDaemon(true);
      return t;
    });
    this.dispatch = MoreExecutors.newSequentialExecutor(e);
    this.closeDispatch = e::shutdown;
  }

  /** A broker delivering through {@code executor} (one delivery at a time, whatever it is). */
  public InMemoryBroker(Executor executor) {
    this.dispatch = MoreExecutors.newSequentialExecutor(requireNonNull(executor, "executor"));
    this.closeDispatch = () -> { };
  }

  /**
   * Creates a queue subscribed to {@code subscriptions}. {@code maxRedeliveries} bounds redeliveries
   * after the first delivery (0: no bound), after which a failed message is dead-lettered.
   */
  public void createQueue(String name, List<String> subscriptions, int maxRedeliveries) {
    requireNonNull(name, "name");
    if (maxRedeliveries < 0) {
      throw new IllegalArgumentException("queue '" + name + "': maxRedeliveries must be >= 0");
    }
    List<TopicSubscription> subs = subscriptions.stream().map(TopicSubscription::compile).toList();
    synchronized (lock) {
      if (queues.containsKey(name)) {
        throw new LddException("queue '" + name + "' already exists");
      }
      queues.put(name, new Queue(name, subs, maxRedeliveries));
    }
  }

  public void createQueue(String name, String... subscriptions) {
    createQueue(name, List.of(subscriptions), 0);
  }

  @Override
  public CompletableFuture<Void> publish(Publication publication) {
    requireNonNull(publication, "publication");
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    synchronized (lock) {
      if (refuse.test(publication)) {
        confirmed.completeExceptionally(new LddException("the embedded broker refused publication to '"
            + publication.topic() + "'"));
        return confirmed;
      }
      Runnable store = () -> {
        synchronized (lock) {
          for (Queue q : queues.values()) {
            if (q.matches(publication.topic())) {
              q.ready.addLast(new Stored(++sequence, publication.topic(), publication));
            }
          }
        }
        confirmed.complete(null);
      };
      if (holdConfirmations) {
        held.add(store);
        return confirmed;
      }
      store.run();
    }
    kick();
    return confirmed;
  }

  /** Sends straight to {@code queue}; the message's topic is the queue's name, as on Solace. */
  public void sendToQueue(String queue, byte[] payload, Map<String, String> properties) {
    synchronized (lock) {
      Queue q = queue(queue);
      q.ready.addLast(new Stored(++sequence, queue, new Publication(queue, payload, properties)));
    }
    kick();
  }

  /** A source delivering from {@code queueNames}; several sources on one queue share its messages. */
  public MessageSource source(String... queueNames) {
    List<Queue> bound = new ArrayList<>();
    synchronized (lock) {
      for (String n : queueNames) {
        bound.add(queue(n));
      }
    }
    return new Source(bound);
  }

  public QueueStats stats(String queue) {
    synchronized (lock) {
      Queue q = queue(queue);
      return new QueueStats(q.name, q.ready.size(), q.unsettledCount(), q.delivered, q.accepted, q.failed,
          q.deadLettered);
    }
  }

  /** Every message moved to the dead-message queue, oldest first. */
  public List<DeadMessage> deadMessages() {
    synchronized (lock) {
      return List.copyOf(deadMessages);
    }
  }

  /** The messages waiting in {@code queue} (not delivered or returned), oldest first. */
  public List<InboundMessage> browse(String queue) {
    synchronized (lock) {
      return queue(queue).ready.stream().map(s -> s.toMessage(queue)).toList();
    }
  }

  /** Takes every waiting message out of {@code queue}, oldest first (for tests reading outputs). */
  public List<InboundMessage> drainQueue(String queue) {
    synchronized (lock) {
      Queue q = queue(queue);
      List<InboundMessage> out = q.ready.stream().map(s -> s.toMessage(queue)).toList();
      q.ready.clear();
      return out;
    }
  }

  /** Test control: while on, publications are neither stored nor confirmed until released. */
  public void holdConfirmations(boolean hold) {
    synchronized (lock) {
      holdConfirmations = hold;
    }
  }

  /** Test control: stores and confirms every held publication. */
  public void releaseConfirmations() {
    List<Runnable> release;
    synchronized (lock) {
      release = List.copyOf(held);
      held.clear();
    }
    release.forEach(Runnable::run);
    kick();
  }

  /** Test control: publications matching {@code predicate} fail instead of being stored. */
  public void refusePublications(Predicate<Publication> predicate) {
    synchronized (lock) {
      refuse = requireNonNull(predicate, "predicate");
    }
  }

  @Override
  public void close() {
    closeDispatch.run();
  }

  /** Asks the dispatch executor to hand out what can be handed out; nothing once the broker is closed. */
  private void kick() {
    try {
      dispatch.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closed: deliveries stop, stored messages stay where they are.
    }
  }

  private Queue queue(String name) {
    Queue q = queues.get(name);
    if (q == null) {
      throw new LddException("the embedded broker has no queue '" + name + "'; configure it under source.queues");
    }
    return q;
  }

  /** Hands out deliveries one at a time until no started, unpaused consumer has one waiting. */
  private void drain() {
    while (true) {
      Source consumer = null;
      Delivery delivery = null;
      synchronized (lock) {
        for (Queue q : queues.values()) {
          if (q.ready.isEmpty()) {
            continue;
          }
          consumer = q.nextConsumer();
          if (consumer != null) {
            Stored s = q.ready.pollFirst();
            s.deliveries++;
            q.delivered++;
            s.owner = consumer;
            q.unsettled.put(s.id, s);
            delivery = new Delivery(s.toMessage(q.name), new StoredSettlement(q, s, consumer));
            break;
          }
        }
      }
      if (delivery == null) {
        return;
      }
      consumer.deliver(delivery);
    }
  }

  private void deadLetter(Queue q, Stored s, String reason) {
    q.deadLettered++;
    deadMessages.add(new DeadMessage(q.name, s.toMessage(q.name), reason));
  }

  private final class Queue {
    final String name;
    final List<TopicSubscription> subscriptions;
    final int maxRedeliveries;
    final ArrayDeque<Stored> ready = new ArrayDeque<>();
    final Map<Long, Stored> unsettled = new LinkedHashMap<>();
    final List<Source> consumers = new ArrayList<>();
    int nextConsumer;
    long delivered;
    long accepted;
    long failed;
    long deadLettered;

    Queue(String name, List<TopicSubscription> subscriptions, int maxRedeliveries) {
      this.name = name;
      this.subscriptions = subscriptions;
      this.maxRedeliveries = maxRedeliveries;
    }

    boolean matches(String topic) {
      for (TopicSubscription s : subscriptions) {
        if (s.matches(topic)) {
          return true;
        }
      }
      return false;
    }

    int unsettledCount() {
      return unsettled.size();
    }

    /** The next started, unpaused consumer, round robin; null if none. */
    Source nextConsumer() {
      for (int i = 0; i < consumers.size(); i++) {
        Source c = consumers.get((nextConsumer + i) % consumers.size());
        if (c.handler != null && !c.paused && !c.closed) {
          nextConsumer = (nextConsumer + i + 1) % consumers.size();
          return c;
        }
      }
      return null;
    }
  }

  private static final class Stored {
    final long id;
    final String topic;
    final Publication publication;
    int deliveries;
    Source owner;

    Stored(long id, String topic, Publication publication) {
      this.id = id;
      this.topic = topic;
      this.publication = publication;
    }

    InboundMessage toMessage(String queue) {
      return new InboundMessage(queue, topic, publication.payload(), publication.properties(),
          "m" + id, publication.correlationId(), publication.properties().get(REPLY_TO_PROPERTY), deliveries > 1, OptionalInt.of(Math.max(1, deliveries)));
    }
  }

  private final class StoredSettlement implements Settlement {
    private final Queue queue;
    private final Stored stored;
    private final Source consumer;
    /** Which delivery of the message this handle settles: a stale handle must not settle a later one. */
    private final int delivery;

    StoredSettlement(Queue queue, Stored stored, Source consumer) {
      this.queue = queue;
      this.stored = stored;
      this.consumer = consumer;
      this.delivery = stored.deliveries;
    }

    /** Whether this delivery is still the live one: not settled, not returned by a close, not superseded. */
    private boolean live() {
      return stored.owner == consumer && stored.deliveries == delivery && queue.unsettled.get(stored.id) == stored
          && !consumer.closed;
    }

    @Override
    public void accept() {
      synchronized (lock) {
        if (!live()) {
          return;
        }
        queue.unsettled.remove(stored.id);
        stored.owner = null;
        queue.accepted++;
      }
    }

    @Override
    public void fail() {
      synchronized (lock) {
        if (!live()) {
          return;
        }
        queue.unsettled.remove(stored.id);
        stored.owner = null;
        queue.failed++;
        if (queue.maxRedeliveries > 0 && stored.deliveries > queue.maxRedeliveries) {
          deadLetter(queue, stored, "max redeliveries (" + queue.maxRedeliveries + ") exceeded");
        } else {
          queue.ready.addFirst(stored);
        }
      }
      kick();
    }

    @Override
    public void reject() {
      synchronized (lock) {
        if (!live()) {
          return;
        }
        queue.unsettled.remove(stored.id);
        stored.owner = null;
        deadLetter(queue, stored, "rejected by the consumer");
      }
    }
  }

  private final class Source implements MessageSource {
    private final List<Queue> bound;
    private final Object deliverLock = new Object();
    volatile DeliveryHandler handler;
    volatile boolean paused;
    volatile boolean closed;

    Source(List<Queue> bound) {
      this.bound = List.copyOf(bound);
    }

    @Override
    public String name() {
      return "embedded";
    }

    @Override
    public void start(DeliveryHandler handler) {
      requireNonNull(handler, "handler");
      synchronized (lock) {
        if (this.handler != null) {
          throw new LddException("embedded source already started");
        }
        this.handler = handler;
        for (Queue q : bound) {
          q.consumers.add(this);
        }
      }
      kick();
    }

    /** Delivers unless paused meanwhile; a paused delivery goes back to the head of its queue. */
    void deliver(Delivery d) {
      synchronized (deliverLock) {
        if (!paused && !closed) {
          handler.onDelivery(d);
          return;
        }
      }
      synchronized (lock) {
        for (Queue q : bound) {
          Stored s = q.unsettled.get(idOf(d, q));
          if (s != null && s.owner == this) {
            q.unsettled.remove(s.id);
            s.owner = null;
            s.deliveries--;
            q.delivered--;
            q.ready.addFirst(s);
          }
        }
      }
    }

    private long idOf(Delivery d, Queue q) {
      return d.settlement() instanceof StoredSettlement st && st.queue == q ? st.stored.id : -1;
    }

    @Override
    public void pause() {
      // Waits for a delivery in progress on another thread, so that none arrives after this returns.
      synchronized (deliverLock) {
        paused = true;
      }
    }

    @Override
    public void resume() {
      paused = false;
      kick();
    }

    @Override
    public void close() {
      // Waits for a delivery in progress, as pause() does, so that none is handled after close returns.
      synchronized (deliverLock) {
        closeUnderDeliverLock();
      }
      kick();
    }

    private void closeUnderDeliverLock() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        for (Queue q : bound) {
          q.consumers.remove(this);
          List<Stored> mine = q.unsettled.values().stream().filter(s -> s.owner == this).toList();
          // Back to the head of the queue in their original order.
          for (int i = mine.size() - 1; i >= 0; i--) {
            Stored s = mine.get(i);
            q.unsettled.remove(s.id);
            s.owner = null;
            q.ready.addFirst(s);
          }
        }
      }
    }
  }
}
