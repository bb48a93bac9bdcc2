package dev.ldd.solace.config;

/** How {@code fail()} sends a message back to the queue. */
public enum SettlementMode {
  /**
   * NACK each message on its own with {@code settle(FAILED)} / {@code settle(REJECTED)}. Needs a broker
   * that supports settlement outcomes (PubSub+ 10.2.1 or later). The default.
   */
  SETTLE,
  /**
   * For brokers without NACK: {@code fail()} closes the flow and binds it again after a back-off, which
   * returns every unsettled message of that flow to the queue, not only the failed one. {@code reject()}
   * acknowledges the message (it is discarded, not dead-lettered) and logs a warning.
   */
  REBIND
}
