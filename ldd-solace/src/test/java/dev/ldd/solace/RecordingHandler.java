package dev.ldd.solace;

import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link DeliveryHandler} that records what it is told; like the engine, it returns at once. */
final class RecordingHandler implements DeliveryHandler {
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final List<String> flowActivity = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  /** Runs after each delivery is recorded, e.g. to pause the source as a saturated engine would. */
  volatile Consumer<Delivery> then = d -> {};

  @Override
  public void onDelivery(Delivery delivery) {
    deliveries.add(delivery);
    then.accept(delivery);
  }

  @Override
  public void onFlowActive(String queue, boolean active) {
    flowActivity.add(queue + (active ? " active" : " inactive"));
  }

  @Override
  public void onSourceEvent(String queue, String event, String detail) {
    events.add(queue + " " + event);
  }

  Delivery last() {
    return deliveries.get(deliveries.size() - 1);
  }

  List<String> payloads() {
    return deliveries.stream().map(d -> new String(d.message().payload())).toList();
  }
}
