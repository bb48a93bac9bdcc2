package dev.ldd.core.model;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.spi.InboundMessage;
import java.time.Instant;

/**
 * One call of a function for one message.
 *
 * @param id unique among the invocations in flight on the daemon
 * @param function the function's name
 * @param message the input
 * @param deadline when the engine gives up on the result
 */
public record Invocation(String id, String function, InboundMessage message, Instant deadline) {
  public Invocation {
    requireNonNull(id, "id");
    requireNonNull(function, "function");
    requireNonNull(message, "message");
    requireNonNull(deadline, "deadline");
  }
}
