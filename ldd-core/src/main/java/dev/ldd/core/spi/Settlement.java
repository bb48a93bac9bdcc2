package dev.ldd.core.spi;

/**
 * How a delivered message is settled on the bus. Exactly one of the three takes effect; settling again
 * is a no-op. Any thread may call these; they may block briefly (a Solace session reconnecting), so the
 * engine calls them from its own settlement threads, never from a source's callback thread.
 */
public interface Settlement {
  /** ACK: the message was processed; the bus forgets it. */
  void accept();

  /** Back to the bus for redelivery; counts a delivery. The bus may dead-letter it at its own bound. */
  void fail();

  /** Never redeliver: the bus moves it to its dead-message queue (or discards it). */
  void reject();
}
