package dev.ldd.examples.embed;

import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.testing.MessageSourceContract;
import java.util.Map;

/** The embedding service's own source passes the contract every MessageSource passes. */
class WorkQueueSourceContractTest extends MessageSourceContract {
  private final WorkQueue queue = new WorkQueue("contract", 100);

  @Override
  protected MessageSource createSource() {
    return queue.source();
  }

  @Override
  protected void publish(String topic, byte[] payload) throws Exception {
    queue.submit(topic, payload, Map.of(), null);
  }
}
