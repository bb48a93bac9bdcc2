package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One {@code routes} entry of a function: messages on {@code queue} whose topic matches any of
 * {@code topics} (Solace subscriptions) go to the function.
 */
public record RouteConfig(String queue, List<String> topics) {
  public RouteConfig {
    requireNonNull(queue, "queue");
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one topic");
    }
  }
}
