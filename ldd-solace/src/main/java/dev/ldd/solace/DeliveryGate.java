package dev.ldd.solace;

import com.solacesystems.jcsmp.FlowReceiver;
import com.solacesystems.jcsmp.JCSMPException;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where deliveries from every flow of the source pass to the engine, and where pausing happens.
 *
 * <p>The contract (no delivery after {@link #pause()} returns) is kept by the paused flag alone: while
 * it is set, whatever JCSMP hands over is buffered here in arrival order, and {@link #resume()} hands
 * the buffer over on the delivery thread before anything newer. Hand-offs run under this object's
 * lock, so {@code pause()} from another thread waits at most for one hand-off in progress, which the
 * {@link DeliveryHandler} contract keeps short. One lock for the whole source (not one per flow) so that
 * handlers pausing from inside deliveries on two dispatcher threads cannot deadlock.
 *
 * <p>Stopping and starting the flows only keeps the broker from pushing more than the window. It runs
 * on the delivery thread, never under this lock: a JCSMP call that waited for a dispatcher thread
 * blocked on this lock would deadlock.
 */
final class DeliveryGate {
  private static final Logger log = LoggerFactory.getLogger(DeliveryGate.class);

  private record Pending(FlowGeneration generation, Delivery delivery) {}

  private final Executor deliveryThread;
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private volatile DeliveryHandler handler;
  private volatile boolean paused;
  private volatile boolean closed;
  private boolean draining;

  /** Each registered receiver and whether it was last started (true) or stopped (false). */
  private final Map<FlowReceiver, Boolean> receivers = new LinkedHashMap<>();
  private final Object flowControl = new Object();

  /** {@code deliveryThread} runs buffered hand-offs and flow stop/start, one task at a time, in order. */
  DeliveryGate(Executor deliveryThread) {
    this.deliveryThread = deliveryThread;
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

  void pause() {
    synchronized (this) {
      if (paused || closed) {
        return;
      }
      paused = true;
    }
    applyFlowControlLater();
  }

  void resume() {
    synchronized (this) {
      if (!paused || closed) {
        return;
      }
      paused = false;
      if (!buffer.isEmpty() && !draining) {
        draining = true;
        if (!submit(this::drain)) {
          draining = false; // closing: the buffer is dropped and the bus redelivers it
        }
      }
    }
    applyFlowControlLater();
  }

  /** Adds a new flow's receiver; it is started unless the source is paused. */
  void register(FlowReceiver receiver) {
    synchronized (flowControl) {
      if (closed) {
        return;
      }
      receivers.put(receiver, false);
    }
    applyFlowControlLater();
  }

  /** Forgets a dead generation: its receiver and the deliveries buffered from it. */
  void unregister(FlowGeneration generation) {
    synchronized (this) {
      buffer.removeIf(p -> p.generation() == generation);
    }
    if (generation.receiver() != null) {
      synchronized (flowControl) {
        receivers.remove(generation.receiver());
      }
    }
  }

  /** No deliveries after this; buffered ones are dropped (left to the bus). */
  void close() {
    synchronized (this) {
      closed = true;
      buffer.clear();
    }
    synchronized (flowControl) {
      receivers.clear();
    }
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

  private void applyFlowControlLater() {
    submit(this::applyFlowControl);
  }

  /** Brings every receiver to the latest state; a later call sees a later state, so the last one wins. */
  private void applyFlowControl() {
    synchronized (flowControl) {
      boolean run = !paused && !closed;
      for (Map.Entry<FlowReceiver, Boolean> e : receivers.entrySet()) {
        if (e.getValue() != run) {
          apply(e.getKey(), run);
          e.setValue(run);
        }
      }
    }
  }

  private static void apply(FlowReceiver receiver, boolean run) {
    try {
      if (run) {
        receiver.start();
      } else {
        receiver.stop();
      }
    } catch (JCSMPException | RuntimeException e) {
      log.warn("could not {} the flow on {}: {}", run ? "start" : "stop", receiver.getEndpoint(), e.toString());
    }
  }

  private boolean submit(Runnable task) {
    try {
      deliveryThread.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }
}
