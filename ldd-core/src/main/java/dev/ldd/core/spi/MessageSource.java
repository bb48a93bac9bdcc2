package dev.ldd.core.spi;

/**
 * Delivers inbound messages from a bus and settles them through each {@link Delivery}'s
 * {@link Settlement}.
 *
 * <p>Lifecycle: {@link #start} once, then any number of {@link #pause}/{@link #resume}, then {@link #close}.
 * The engine never blocks the thread on which the source calls its {@link DeliveryHandler}.
 */
public interface MessageSource extends AutoCloseable {
  /** A short name for logs and metrics, such as {@code embedded} or {@code solace}. */
  String name();

  /**
   * Connects and starts delivering to {@code handler}. May block while connecting; throws
   * {@link dev.ldd.core.LddException} if the source cannot start.
   */
  void start(DeliveryHandler handler);

  /**
   * Stops handing out deliveries until {@link #resume}. May be called from inside
   * {@link DeliveryHandler#onDelivery}; from another thread it may wait for a hand-off in progress, never
   * longer. After it returns the handler receives no more deliveries until resumed (a source whose bus
   * keeps pushing buffers them itself, bounded by its window). Idempotent.
   */
  void pause();

  /** Resumes delivery after {@link #pause}. Non-blocking; idempotent. */
  void resume();

  /**
   * Stops delivering and disconnects. Messages delivered and not yet settled are left to the bus, which
   * redelivers them. Settling them after close is a no-op. May block while disconnecting; idempotent.
   */
  @Override
  void close();
}
