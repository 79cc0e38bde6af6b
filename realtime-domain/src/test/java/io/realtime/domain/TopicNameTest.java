package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNameTest {
  private static final String CHARACTERS =
      "topic may only contain letters, digits and _ - : . @ / = +";

  @ParameterizedTest
  @ValueSource(strings = {"order:123", "chat/room-1", "a", "A_b-c:d.e@f/g=h+i", "0", "user:"})
  void namesOfAllowedCharactersAreAccepted(String text) {
    assertEquals(Optional.empty(), TopicName.problem(text));
    assertEquals(Optional.of(new TopicName(text)), TopicName.parse(text));
    assertEquals(text, new TopicName(text).value());
    assertEquals(text, new TopicName(text).toString());
  }

  @Test
  void emptyNameIsRefused() {
    assertEquals(Optional.of("topic is empty"), TopicName.problem(""));
    assertEquals(Optional.empty(), TopicName.parse(""));
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicName(""));
    assertEquals("topic is empty", e.getMessage());
  }

  @Test
  void nullIsEmptyForProblemAndParseButRefusedByTheConstructor() {
    assertEquals(Optional.of("topic is empty"), TopicName.problem(null));
    assertEquals(Optional.empty(), TopicName.parse(null));
    assertThrows(NullPointerException.class, () -> new TopicName(null));
  }

  @Test
  void nameOfMaximumLengthIsAccepted() {
    String longest = "a".repeat(TopicName.MAX_LENGTH);
    assertEquals(200, TopicName.MAX_LENGTH);
    assertEquals(Optional.empty(), TopicName.problem(longest));
    assertEquals(longest, new TopicName(longest).value());
  }

  @Test
  void nameLongerThanTheMaximumIsRefused() {
    String tooLong = "a".repeat(TopicName.MAX_LENGTH + 1);
    assertEquals(Optional.of("topic is longer than 200 characters"), TopicName.problem(tooLong));
    assertEquals(Optional.empty(), TopicName.parse(tooLong));
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicName(tooLong));
    assertEquals("topic is longer than 200 characters", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"order:*", "*", "user:{sub}", "has space", "tab\t", "semi;colon",
      "quote\"", "back\\slash", "comma,", "hash#", "caf\u00e9", "\u00fcber", "emoji\ud83d\ude00",
      "new\nline", "percent%", "question?", "amp&"})
  void nameWithCharacterOutsideTheAlphabetIsRefused(String text) {
    assertEquals(Optional.of(CHARACTERS), TopicName.problem(text));
    assertEquals(Optional.empty(), TopicName.parse(text));
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicName(text));
    assertEquals(CHARACTERS, e.getMessage());
  }

  @Test
  void nameWithWildcardIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TopicName("order:*"));
  }

  @Test
  void nameWithPlaceholderIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TopicName("user:{sub}"));
  }

  @Test
  void lengthIsCheckedBeforeCharacters() {
    assertTrue(TopicName.problem("*".repeat(201)).orElseThrow().startsWith("topic is longer"));
  }

  @Test
  void namesAreValuesComparedByText() {
    assertEquals(new TopicName("a:b"), new TopicName("a:b"));
    assertEquals(new TopicName("a:b").hashCode(), new TopicName("a:b").hashCode());
  }
}
