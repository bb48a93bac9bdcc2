package dev.ldd.core.spi;

/**
 * Receives what a {@link MessageSource} delivers. The engine implements it. Every method is called on the
 * source's own thread and returns quickly without blocking: the engine hands work to its own threads.
 */
public interface DeliveryHandler {
  /** A message to process. The handler owns settling it (possibly much later, on another thread). */
  void onDelivery(Delivery delivery);

  /**
   * A queue's flow became active or inactive (exclusive queues with active-flow indication: only the
   * active consumer receives). Informational; the default does nothing.
   */
  default void onFlowActive(String queue, boolean active) {}

  /**
   * A transient connection event worth recording (reconnecting, reconnected); {@code queue} is null for an
   * event of the whole connection. The default ignores it.
   */
  default void onSourceEvent(String queue, String event, String detail) {}
}
