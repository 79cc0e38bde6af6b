package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPatternTest {
  private static final UserId ALICE = new UserId("alice");
  private static final UserId BOB = new UserId("bob");

  private static boolean matches(String pattern, String topic, UserId user) {
    return new TopicPattern(pattern).matches(new TopicName(topic), user);
  }

  @Test
  void exactPatternMatchesOnlyThatTopic() {
    assertTrue(matches("order:1", "order:1", ALICE));
    assertFalse(matches("order:1", "order:12", ALICE));
    assertFalse(matches("order:1", "order:", ALICE));
    assertFalse(matches("order:1", "Order:1", ALICE), "case matters");
  }

  @Test
  void starMatchesAnySuffix() {
    assertTrue(matches("order:*", "order:1", ALICE));
    assertTrue(matches("order:*", "order:1:items/2", ALICE));
  }

  @Test
  void starMatchesAnEmptySuffix() {
    assertTrue(matches("order:*", "order:", ALICE));
  }

  @Test
  void starDoesNotMatchAShorterOrDifferentPrefix() {
    assertFalse(matches("order:*", "order", ALICE));
    assertFalse(matches("order:*", "orders:1", ALICE));
    assertFalse(matches("order:*", "x-order:1", ALICE));
  }

  @Test
  void loneStarMatchesEveryTopic() {
    for (String topic : new String[] {"a", "order:1", "user:bob", "x/y=z+w@q"}) {
      assertTrue(matches("*", topic, ALICE), topic);
    }
  }

  @Test
  void placeholderStandsForOwnUserId() {
    assertTrue(matches("user:{sub}", "user:alice", ALICE));
    assertFalse(matches("user:{sub}", "user:bob", ALICE));
    assertTrue(matches("user:{sub}", "user:bob", BOB));
  }

  @Test
  void placeholderIsNotAPrefix() {
    assertFalse(matches("user:{sub}", "user:alice2", ALICE));
    assertFalse(matches("user:{sub}", "user:alic", ALICE));
  }

  @Test
  void placeholderWithStarMatchesOwnSubtree() {
    assertTrue(matches("user:{sub}:*", "user:alice:inbox", ALICE));
    assertTrue(matches("user:{sub}:*", "user:alice:", ALICE));
    assertFalse(matches("user:{sub}:*", "user:bob:inbox", ALICE));
  }

  @Test
  void everyPlaceholderIsReplaced() {
    assertTrue(matches("{sub}/{sub}", "alice/alice", ALICE));
    assertFalse(matches("{sub}/{sub}", "alice/bob", ALICE));
  }

  @Test
  void patternWithoutPlaceholderIgnoresTheUser() {
    assertTrue(matches("news", "news", ALICE));
    assertTrue(matches("news", "news", BOB));
  }

  @Test
  void incompletePlaceholderIsLiteralText() {
    // "{su" can never be in a topic name, so such a pattern matches nothing
    assertFalse(matches("user:{su", "user:alice", ALICE));
    assertFalse(matches("user:{sub", "user:alice", ALICE));
  }

  /**
   * {@code {sub}} stands for the user's own id, literally: a user whose id ends in {@code *}
   * must not turn {@code user:{sub}} into the wildcard {@code user:*}.
   */
  @Test
  void userIdEndingInStarIsNotAWildcard() {
    UserId starry = new UserId("al*");
    assertFalse(matches("user:{sub}", "user:alice", starry),
        "user 'al*' with pattern user:{sub} must not reach user:alice");
    UserId star = new UserId("*");
    assertFalse(matches("user:{sub}", "user:bob", star),
        "user '*' with pattern user:{sub} must not reach user:bob");
  }

  @Test
  void emptyPatternIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicPattern(""));
    assertEquals("topic pattern is empty", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"*order", "order:*:items", "a*b", "**", "*{sub}", "user:*{sub}"})
  void starNotAtTheEndIsRefused(String pattern) {
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicPattern(pattern));
    assertEquals("'*' may only end a topic pattern: " + pattern, e.getMessage());
  }

  @Test
  void nullPatternIsRefused() {
    assertThrows(NullPointerException.class, () -> new TopicPattern(null));
  }

  @Test
  void patternPrintsAsWritten() {
    assertEquals("user:{sub}:*", new TopicPattern("user:{sub}:*").toString());
    assertEquals("{sub}", TopicPattern.SUBJECT);
  }
}
