package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.NoRoutePolicy;
import dev.ldd.core.model.DeadLetterPolicy;
import java.util.Optional;

/**
 * What happens to a message that matches no route.
 *
 * @param policy dead-letter it (the default) or accept it and log
 * @param deadLetterTopic where a dead-lettered message is published; empty for the bus's own
 *     dead-message queue. Only with {@link NoRoutePolicy#DEAD_LETTER}.
 */
public record NoRouteConfig(NoRoutePolicy policy, Optional<String> deadLetterTopic) {
  public static final NoRouteConfig DEFAULT = new NoRouteConfig(NoRoutePolicy.DEAD_LETTER, Optional.empty());

  public NoRouteConfig {
    requireNonNull(policy, "policy");
    requireNonNull(deadLetterTopic, "deadLetterTopic");
    if (deadLetterTopic.isPresent() && policy != NoRoutePolicy.DEAD_LETTER) {
      throw new IllegalArgumentException("deadLetterTopic applies only to the deadLetter policy");
    }
  }

  /** The engine's dead-letter policy for unrouted messages. */
  public DeadLetterPolicy deadLetter() {
    return deadLetterTopic.map(DeadLetterPolicy::toTopic).orElse(DeadLetterPolicy.BUS);
  }
}
