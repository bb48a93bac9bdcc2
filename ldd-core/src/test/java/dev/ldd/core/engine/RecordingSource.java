package dev.ldd.core.engine;

import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.MessageSource;
import java.util.concurrent.atomic.AtomicReference;

/** A source that only hands its handler to the test, which then delivers by hand. */
class RecordingSource implements MessageSource {
  private final AtomicReference<DeliveryHandler> handler;

  RecordingSource(AtomicReference<DeliveryHandler> handler) {
    this.handler = handler;
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public void start(DeliveryHandler h) {
    handler.set(h);
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void close() {}
}
