package dev.ldd.core.routing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the most specific route for a (queue, topic): fewest wildcards, then longest literal prefix, then
 * most literal characters; on
 * an exact tie, the route declared first ({@link #ties()} lists those for config validation to warn
 * about). Lookups walk a per-queue trie of subscription levels, so their cost grows with the topic's
 * levels, not with the number of routes. Immutable and thread-safe.
 */
public final class RoutingTable {
  private final List<Route> routes;
  private final Map<String, Node> roots = new HashMap<>();
  private final List<String> ties;

  private RoutingTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    for (int i = 0; i < this.routes.size(); i++) {
      Route route = this.routes.get(i);
      Node node = roots.computeIfAbsent(route.queue(), q -> new Node());
      for (TopicSubscription.Level level : route.subscription().levels()) {
        node = node.child(level);
      }
      node.terminal.add(new Ranked(route, i));
    }
    this.ties = findTies(this.routes);
  }

  public static RoutingTable of(List<Route> routes) {
    requireNonNull(routes, "routes");
    return new RoutingTable(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  /**
   * Human-readable warnings about routes on the same queue that tie exactly in specificity while their
   * subscriptions could match the same topic (identical subscriptions, or equal rank with wildcards).
   */
  public List<String> ties() {
    return ties;
  }

  /** The most specific route for a message on {@code queue} with {@code topic}, if any matches. */
  public Optional<Route> route(String queue, String topic) {
    Node root = roots.get(queue);
    if (root == null) {
      return Optional.empty();
    }
    Ranked[] best = new Ranked[1];
    walk(root, topic, 0, best);
    return best[0] == null ? Optional.empty() : Optional.of(best[0].route());
  }

  private static void walk(Node node, String topic, int start, Ranked[] best) {
    if (start > topic.length()) {
      for (Ranked r : node.terminal) {
        offer(r, best);
      }
      return;
    }
    // A final '>' matches one or more remaining levels: here at least one remains.
    if (node.rest != null) {
      for (Ranked r : node.rest.terminal) {
        offer(r, best);
      }
    }
    int end = topic.indexOf('/', start);
    if (end < 0) {
      end = topic.length();
    }
    Node literal = node.literals.get(topic.substring(start, end));
    if (literal != null) {
      walk(literal, topic, end + 1, best);
    }
    if (node.one != null && end > start) {
      walk(node.one, topic, end + 1, best);
    }
    for (Map.Entry<String, Node> prefix : node.prefixes.entrySet()) {
      String p = prefix.getKey();
      if (end - start >= p.length() && topic.startsWith(p, start)) {
        walk(prefix.getValue(), topic, end + 1, best);
      }
    }
  }

  private static void offer(Ranked candidate, Ranked[] best) {
    Ranked current = best[0];
    if (current == null) {
      best[0] = candidate;
      return;
    }
    int c = Route.compareSpecificity(candidate.route(), current.route());
    if (c < 0 || (c == 0 && candidate.order() < current.order())) {
      best[0] = candidate;
    }
  }

  private static List<String> findTies(List<Route> routes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      for (int j = i + 1; j < routes.size(); j++) {
        Route a = routes.get(i);
        Route b = routes.get(j);
        if (!a.queue().equals(b.queue()) || Route.compareSpecificity(a, b) != 0) {
          continue;
        }
        boolean same = a.subscription().equals(b.subscription());
        if (same || !a.subscription().isLiteral()) {
          out.add("queue '" + a.queue() + "': routes '" + a.subscription() + "' -> " + a.function()
              + " and '" + b.subscription() + "' -> " + b.function()
              + " are equally specific; the first declared wins where both match");
        }
      }
    }
    return List.copyOf(out);
  }

  private record Ranked(Route route, int order) {}

  private static final class Node {
    final Map<String, Node> literals = new HashMap<>();
    final Map<String, Node> prefixes = new HashMap<>();
    Node one;
    Node rest;
    final List<Ranked> terminal = new ArrayList<>(1);

    Node child(TopicSubscription.Level level) {
      switch (level.kind()) {
        case LITERAL:
          return literals.computeIfAbsent(level.text(), t -> new Node());
        case PREFIX:
          return prefixes.computeIfAbsent(level.text(), t -> new Node());
        case ONE:
          if (one == null) {
            one = new Node();
          }
          return one;
        case REST:
          if (rest == null) {
            rest = new Node();
          }
          return rest;
        default:
          throw new AssertionError(level);
      }
    }
  }
}
