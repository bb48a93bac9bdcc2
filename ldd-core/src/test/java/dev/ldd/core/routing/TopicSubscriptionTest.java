package dev.ldd.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicSubscriptionTest {

  @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # literal levels match exactly, case-sensitive
      a/b/c       | a/b/c        | true
      a/b/c       | a/b/C        | false
      a/b/c       | a/b          | false
      a/b         | a/b/c        | false
      # '*' as a whole level matches exactly one level
      a/*/c       | a/b/c        | true
      a/*/c       | a/bbb/c      | true
      a/*/c       | a/b/x/c      | false
      a/*/c       | a/c          | false
      *           | a            | true
      *           | a/b          | false
      # 'abc*' matches one level starting with abc
      a/b*/c      | a/b/c        | true
      a/b*/c      | a/bcd/c      | true
      a/b*/c      | a/xb/c       | false
      a/b*/c      | a/b/d/c      | false
      orders/eu*  | orders/eu    | true
      orders/eu*  | orders/europe| true
      orders/eu*  | orders/us    | false
      # '*' elsewhere in a level is a literal character
      a/b*c/d     | a/b*c/d      | true
      a/b*c/d     | a/bxc/d      | false
      a/*b/c      | a/*b/c       | true
      a/*b/c      | a/xb/c       | false
      # '>' as the last level matches one or more levels
      a/>         | a/b          | true
      a/>         | a/b/c/d      | true
      a/>         | a            | false
      >           | a            | true
      >           | a/b/c        | true
      orders/eu/> | orders/eu/x  | true
      orders/eu/> | orders/eu    | false
      orders/eu/> | orders/us/x  | false
      # '>' elsewhere is literal
      a/>/c       | a/>/c        | true
      a/>/c       | a/b/c        | false
      a/b>        | a/b>         | true
      a/b>        | a/bc         | false
      a/>b        | a/>b         | true
      # mixed
      */b/>       | x/b/y/z      | true
      */b/>       | x/b          | false
      a*/*/>      | ab/c/d       | true
      a*/*/>      | b/c/d        | false
      """)
  void matchesBySolaceRules(String subscription, String topic, boolean expected) {
    assertThat(TopicSubscription.compile(subscription).matches(topic)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a//b", "/a", "a/"})
  void rejectsEmptySubscriptionsAndEmptyLevels(String subscription) {
    assertThatThrownBy(() -> TopicSubscription.compile(subscription))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @org.junit.jupiter.api.Test
  void rejectsSubscriptionsOverSolacesBounds() {
    assertThatThrownBy(() -> TopicSubscription.compile("a".repeat(251)))
        .hasMessageContaining("250 bytes");
  }

  @org.junit.jupiter.api.Test
  void countsWildcardsAndTheLiteralPrefix() {
    assertThat(TopicSubscription.compile("a/b/c").wildcardCount()).isZero();
    assertThat(TopicSubscription.compile("a/b/c").literalPrefixLength()).isEqualTo(5);
    assertThat(TopicSubscription.compile("a/*/c").wildcardCount()).isEqualTo(1);
    assertThat(TopicSubscription.compile("a/*/c").literalPrefixLength()).isEqualTo(2);
    assertThat(TopicSubscription.compile("ab/cd*/>").wildcardCount()).isEqualTo(2);
    assertThat(TopicSubscription.compile("ab/cd*/>").literalPrefixLength()).isEqualTo(5);
    assertThat(TopicSubscription.compile("a/b*c").isLiteral()).isTrue();
  }
}
