package dev.ldd.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTableTest {
  private final RoutingTable table = RoutingTable.of(List.of(
      Route.of("orders", ">", "catch-all"),
      Route.of("orders", "orders/>", "orders-any"),
      Route.of("orders", "orders/*/created", "created"),
      Route.of("orders", "orders/eu/>", "eu"),
      Route.of("orders", "orders/eu/created", "eu-created"),
      Route.of("orders", "orders/eu*/paid", "eu-prefix-paid"),
      Route.of("orders", "orders/e*/paid", "e-prefix-paid"),
      Route.of("billing", "orders/eu/created", "billing")));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      orders  | orders/eu/created    | eu-created
      orders  | orders/us/created    | created
      orders  | orders/eu/shipped    | eu
      orders  | orders/eu/a/b        | eu
      orders  | orders/us/shipped    | orders-any
      orders  | invoices/1           | catch-all
      orders  | orders/europe/paid   | eu-prefix-paid
      orders  | orders/east/paid     | e-prefix-paid
      billing | orders/eu/created    | billing
      """)
  void picksTheMostSpecificMatchingRoute(String queue, String topic, String function) {
    assertThat(table.route(queue, topic)).map(Route::function).contains(function);
  }

  @Test
  void fewerWildcardsBeatALongerLiteralPrefix() {
    RoutingTable t = RoutingTable.of(List.of(
        Route.of("q", "a/b/c/*/e", "long-prefix-one-wildcard"),
        Route.of("q", "a/*/c/d/e", "short-prefix-one-wildcard"),
        Route.of("q", "a/b/c/*/>", "two-wildcards")));
    assertThat(t.route("q", "a/b/c/d/e")).map(Route::function).contains("long-prefix-one-wildcard");
  }

  @Test
  void noRouteWhenNothingMatchesOrTheQueueIsUnknown() {
    RoutingTable t = RoutingTable.of(List.of(Route.of("q", "a/>", "f")));
    assertThat(t.route("q", "a")).isEmpty();
    assertThat(t.route("q", "b/c")).isEmpty();
    assertThat(t.route("other", "a/b")).isEmpty();
  }

  @Test
  void anExactTieGoesToTheRouteDeclaredFirstAndIsReported() {
    RoutingTable t = RoutingTable.of(List.of(
        Route.of("q", "a/*/c", "first"),
        Route.of("q", "a/*/d", "unrelated"),
        Route.of("q", "a/*/c", "second")));
    assertThat(t.route("q", "a/x/c")).map(Route::function).contains("first");
    assertThat(t.ties()).anySatisfy(w -> assertThat(w).contains("first").contains("second"));
  }

  @Test
  void literalRoutesOnDifferentTopicsAreNotTies() {
    RoutingTable t = RoutingTable.of(List.of(Route.of("q", "a/b", "f"), Route.of("q", "a/c", "g")));
    assertThat(t.ties()).isEmpty();
  }

  @Test
  void agreesWithMatchingEveryRouteOneByOneOnRandomTopics() {
    java.util.Random random = new java.util.Random(42);
    String[] words = {"a", "b", "ab", "abc", "*", ">", "x"};
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      routes.add(Route.of("q", randomSubscription(random, words), "f" + i));
    }
    RoutingTable t = RoutingTable.of(routes);
    for (int i = 0; i < 5_000; i++) {
      String topic = randomTopic(random);
      Route expected = null;
      for (Route r : routes) {
        if (r.subscription().matches(topic)
            && (expected == null || Route.compareSpecificity(r, expected) < 0)) {
          expected = r;
        }
      }
      assertThat(t.route("q", topic).orElse(null)).as(topic).isEqualTo(expected);
    }
  }

  private static String randomSubscription(java.util.Random random, String[] words) {
    int levels = 1 + random.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < levels; l++) {
      if (l > 0) {
        sb.append('/');
      }
      String w = words[random.nextInt(words.length)];
      if (w.equals("a") && random.nextBoolean()) {
        w = "a*";
      }
      sb.append(w);
    }
    return sb.toString();
  }

  private static String randomTopic(java.util.Random random) {
    String[] words = {"a", "b", "ab", "abc", "x", "*", ">"};
    int levels = 1 + random.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < levels; l++) {
      if (l > 0) {
        sb.append('/');
      }
      sb.append(words[random.nextInt(words.length)]);
    }
    return sb.toString();
  }
}
