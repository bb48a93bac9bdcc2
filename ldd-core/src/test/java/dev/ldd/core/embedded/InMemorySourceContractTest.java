package dev.ldd.core.embedded;

import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.MessageSourceContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The embedded broker's source, on its own dispatch thread, passes the source contract. */
class InMemorySourceContractTest extends MessageSourceContract {
  private final InMemoryBroker broker = new InMemoryBroker();

  InMemorySourceContractTest() {
    broker.createQueue("contract", "contract/>");
  }

  @AfterEach
  void closeBroker() {
    broker.close();
  }

  @Override
  protected MessageSource createSource() {
    return broker.source("contract");
  }

  @Override
  protected void publish(String topic, byte[] payload) {
    broker.publish(new Publication(topic, payload, Map.of())).join();
  }
}
