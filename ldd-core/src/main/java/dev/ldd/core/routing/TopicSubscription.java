package dev.ldd.core.routing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled Solace topic subscription. Levels are split on {@code /}, case-sensitive:
 *
 * <ul>
 *   <li>a level that is exactly {@code *} matches exactly one level;
 *   <li>a level {@code abc*} matches one level starting with {@code abc}; a {@code *} anywhere else in a
 *       level is a literal character;
 *   <li>a level that is exactly {@code >} and is the last level matches one or more remaining levels
 *       ({@code a/>} does not match {@code a}; a bare {@code >} matches everything); {@code >} anywhere
 *       else is literal.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class TopicSubscription {
  /** Solace's bound on a topic's length. */
  public static final int MAX_BYTES = 250;

  enum Kind {
    LITERAL,
    PREFIX,
    ONE,
    REST
  }

  record Level(Kind kind, String text) {}

  private final String text;
  private final List<Level> levels;
  private final int wildcards;
  private final int literalPrefixLength;
  private final int literalCharacters;

  private TopicSubscription(String text, List<Level> levels) {
    this.text = text;
    this.levels = levels;
    int w = 0;
    int literal = 0;
    int prefix = -1;
    int position = 0;
    for (Level level : levels) {
      literal += level.text().length();
      if (level.kind() != Kind.LITERAL) {
        w++;
        if (prefix < 0) {
          prefix = position + (level.kind() == Kind.PREFIX ? level.text().length() : 0);
        }
      }
      position += level.text().length() + 1;
    }
    this.wildcards = w;
    this.literalPrefixLength = prefix < 0 ? text.length() : prefix;
    this.literalCharacters = literal;
  }

  /**
   * Compiles {@code subscription}.
   *
   * @throws IllegalArgumentException if it is empty, has an empty level, or exceeds Solace's bounds
   */
  public static TopicSubscription compile(String subscription) {
    requireNonNull(subscription, "subscription");
    if (subscription.isEmpty()) {
      throw new IllegalArgumentException("topic subscription must not be empty");
    }
    if (subscription.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "topic subscription '" + subscription + "' is longer than " + MAX_BYTES + " bytes");
    }
    // At most 250 bytes with non-empty levels also keeps it within Solace's 128 levels.
    String[] parts = subscription.split("/", -1);
    List<Level> levels = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "topic subscription '" + subscription + "' has an empty level (at level " + (i + 1) + ")");
      }
      boolean last = i == parts.length - 1;
      if (part.equals(">") && last) {
        levels.add(new Level(Kind.REST, ""));
      } else if (part.equals("*")) {
        levels.add(new Level(Kind.ONE, ""));
      } else if (part.endsWith("*")) {
        levels.add(new Level(Kind.PREFIX, part.substring(0, part.length() - 1)));
      } else {
        levels.add(new Level(Kind.LITERAL, part));
      }
    }
    return new TopicSubscription(subscription, List.copyOf(levels));
  }

  /** Whether {@code topic} matches this subscription. */
  public boolean matches(String topic) {
    requireNonNull(topic, "topic");
    int start = 0;
    int n = levels.size();
    for (int i = 0; i < n; i++) {
      Level level = levels.get(i);
      if (start > topic.length()) {
        return false; // topic has fewer levels than the subscription
      }
      if (level.kind() == Kind.REST) {
        return true; // at least one level remains: the check above saw to it
      }
      int end = topic.indexOf('/', start);
      if (end < 0) {
        end = topic.length();
      }
      if (!levelMatches(level, topic, start, end)) {
        return false;
      }
      start = end + 1;
    }
    return start == topic.length() + 1; // consumed every level of the topic, no more
  }

  static boolean levelMatches(Level level, String topic, int start, int end) {
    switch (level.kind()) {
      case ONE:
        return end > start;
      case PREFIX:
        return end - start >= level.text().length() && topic.startsWith(level.text(), start);
      case LITERAL:
        return end - start == level.text().length() && topic.startsWith(level.text(), start);
      default:
        throw new AssertionError(level);
    }
  }

  /** The number of wildcard levels ({@code *}, {@code abc*}, a final {@code >}). */
  public int wildcardCount() {
    return wildcards;
  }

  /** The number of characters before the first wildcard (the whole length for a literal topic). */
  public int literalPrefixLength() {
    return literalPrefixLength;
  }

  /** The number of literal characters in all levels, separators excluded. */
  public int literalCharacters() {
    return literalCharacters;
  }

  /** Whether it has no wildcard at all and so matches exactly one topic. */
  public boolean isLiteral() {
    return wildcards == 0;
  }

  List<Level> levels() {
    return levels;
  }

  /** The subscription as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicSubscription other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
