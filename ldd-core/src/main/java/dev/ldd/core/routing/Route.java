package dev.ldd.core.routing;

import static java.util.Objects.requireNonNull;

/**
 * Messages on {@code queue} whose topic matches {@code subscription} go to {@code function}.
 */
public record Route(String queue, TopicSubscription subscription, String function) {
  public Route {
    requireNonNull(queue, "queue");
    if (queue.isBlank()) {
      throw new IllegalArgumentException("route queue must not be blank");
    }
    requireNonNull(subscription, "subscription");
    requireNonNull(function, "function");
  }

  public static Route of(String queue, String subscription, String function) {
    return new Route(queue, TopicSubscription.compile(subscription), function);
  }

  /**
   * Orders routes most specific first: fewest wildcards, then longest literal prefix, then most literal
   * characters overall (so {@code orders/*}{@code /created} beats {@code orders/>}). Zero is an exact tie.
   */
  static int compareSpecificity(Route a, Route b) {
    int c = Integer.compare(a.subscription.wildcardCount(), b.subscription.wildcardCount());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(b.subscription.literalPrefixLength(), a.subscription.literalPrefixLength());
    if (c != 0) {
      return c;
    }
    return Integer.compare(b.subscription.literalCharacters(), a.subscription.literalCharacters());
  }
}
