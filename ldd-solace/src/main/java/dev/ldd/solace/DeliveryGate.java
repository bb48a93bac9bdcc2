package dev.ldd.solace;

import com.solacesystems.jcsmp.FlowReceiver;
import com.solacesystems.jcsmp.JCSMPException;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where deliveries from every flow of the source pass to the engine, and where pausing happens.
 *
 * <p>{@link #pause()} stops all flows, but JCSMP still hands over what is already in a flow's window:
 * those messages are buffered here, in arrival order, and handed over by {@link #resume()} on the
 * drain thread before anything newer. Hand-offs run under this object's lock, so once {@link #pause()}
 * returns no delivery follows it, even from another thread: it waits at most for one hand-off in
 * progress, which the {@link DeliveryHandler} contract keeps short. One lock for the whole source (not
 * one per flow) so that a handler pausing from inside a delivery cannot deadlock with another flow's
 * dispatcher thread doing the same.
 */
final class DeliveryGate {
  private static final Logger log = LoggerFactory.getLogger(DeliveryGate.class);

  private record Pending(FlowGeneration generation, Delivery delivery) {}

  private final Executor drainer;
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private final Set<FlowReceiver> receivers = new LinkedHashSet<>();
  private volatile DeliveryHandler handler;
  private boolean paused;
  private boolean draining;
  private boolean closed;

  DeliveryGate(Executor drainer) {
    this.drainer = drainer;
  }

  void open(DeliveryHandler handler) {
    this.handler = handler;
  }

  DeliveryHandler handler() {
    return handler;
  }

  /** Called on a JCSMP dispatcher thread: hands over at once, or buffers when paused. Never waits long. */
  synchronized void offer(FlowGeneration generation, Delivery delivery) {
    if (closed || generation.isDead()) {
      return;
    }
    if (paused || draining || !buffer.isEmpty()) {
      buffer.add(new Pending(generation, delivery));
      return;
    }
    handOver(delivery);
  }

  synchronized void pause() {
    if (paused || closed) {
      return;
    }
    paused = true;
    receivers.forEach(FlowReceiver::stop);
  }

  synchronized void resume() {
    if (!paused || closed) {
      return;
    }
    paused = false;
    receivers.forEach(DeliveryGate::start);
    if (!buffer.isEmpty() && !draining) {
      draining = true;
      try {
        drainer.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining = false; // closing: the buffer is dropped and the bus redelivers it
      }
    }
  }

  /** Adds a new flow's receiver, starting it unless paused. */
  synchronized void register(FlowReceiver receiver) {
    if (closed) {
      return;
    }
    receivers.add(receiver);
    if (!paused) {
      start(receiver);
    }
  }

  /** Forgets a dead generation: its receiver and the deliveries buffered from it. */
  synchronized void unregister(FlowGeneration generation) {
    if (generation.receiver() != null) {
      receivers.remove(generation.receiver());
    }
    buffer.removeIf(p -> p.generation() == generation);
  }

  /** No deliveries after this; buffered ones are dropped (left to the bus). */
  synchronized void close() {
    closed = true;
    buffer.clear();
    receivers.clear();
  }

  private void drain() {
    while (true) {
      synchronized (this) {
        Pending next = paused || closed ? null : buffer.poll();
        if (next == null) {
          draining = false;
          return;
        }
        if (!next.generation().isDead()) {
          handOver(next.delivery());
        }
      }
    }
  }

  private void handOver(Delivery delivery) {
    try {
      handler.onDelivery(delivery);
    } catch (RuntimeException e) {
      // The engine owns the message now; a throwing handler must not take the dispatcher thread down.
      log.error("delivery handler threw for {}; the message stays unsettled until the bus redelivers it",
          delivery.message(), e);
    }
  }

  private static void start(FlowReceiver receiver) {
    try {
      receiver.start();
    } catch (JCSMPException e) {
      log.warn("could not start flow on {}: {}", receiver.getEndpoint(), e.toString());
    }
  }
}
