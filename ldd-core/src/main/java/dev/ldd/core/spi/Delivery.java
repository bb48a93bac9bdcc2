package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

/** A message delivered by a {@link MessageSource} together with the handle that settles it. */
public record Delivery(InboundMessage message, Settlement settlement) {
  public Delivery {
    requireNonNull(message, "message");
    requireNonNull(settlement, "settlement");
  }
}
