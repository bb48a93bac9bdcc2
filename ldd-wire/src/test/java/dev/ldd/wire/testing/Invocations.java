package dev.ldd.wire.testing;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds core {@link Invocation}s for tests. */
public final class Invocations {
  private static final AtomicInteger ids = new AtomicInteger();

  private Invocations() {}

  /** A first delivery on {@code topic} with a UTF-8 payload, due within 10 s. */
  public static Invocation of(String topic, String payload) {
    return of(topic, payload, Map.of(), Duration.ofSeconds(10));
  }

  public static Invocation of(String topic, String payload, Map<String, String> properties, Duration timeout) {
    InboundMessage m = new InboundMessage("q", topic, payload.getBytes(StandardCharsets.UTF_8), properties,
        null, null, null, false, OptionalInt.of(1));
    return of(m, Instant.now().plus(timeout));
  }

  public static Invocation of(InboundMessage message, Instant deadline) {
    return new Invocation("inv-" + ids.incrementAndGet(), "fn", message, deadline);
  }
}
