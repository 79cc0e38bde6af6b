package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTypesTest {
  private static final String CHARACTERS = "type may only contain letters, digits and _ - . : /";

  @Test
  void reservedTypesAreExactlyThoseOfTheProtocol() {
    assertEquals(Set.of("welcome", "ack", "error", "pong", "ping", "presence", "subscribe",
        "unsubscribe", "publish", "refresh"), MessageTypes.RESERVED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"welcome", "ack", "error", "pong", "ping", "presence", "subscribe",
      "unsubscribe", "publish", "refresh"})
  void reservedTypeIsRefusedByName(String type) {
    assertTrue(MessageTypes.isReserved(type));
    assertEquals(Optional.of("type '" + type + "' is reserved by the protocol"),
        MessageTypes.problem(type));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Welcome", "ACK", "errors", "pinged", "notification", " ping"})
  void reservationIsExactAndCaseSensitive(String type) {
    assertFalse(MessageTypes.isReserved(type));
  }

  @ParameterizedTest
  @ValueSource(strings = {"notification", "order.created", "a:b/c-d_e", "X", "v2", "Welcome"})
  void applicationTypesOfAllowedCharactersAreAccepted(String type) {
    assertEquals(Optional.empty(), MessageTypes.problem(type));
  }

  @Test
  void emptyOrMissingTypeIsRefused() {
    assertEquals(Optional.of("type is empty"), MessageTypes.problem(""));
    assertEquals(Optional.of("type is empty"), MessageTypes.problem(null));
  }

  @Test
  void typeOfMaximumLengthIsAcceptedAndLongerRefused() {
    assertEquals(64, MessageTypes.MAX_LENGTH);
    assertEquals(Optional.empty(), MessageTypes.problem("t".repeat(64)));
    assertEquals(Optional.of("type is longer than 64 characters"),
        MessageTypes.problem("t".repeat(65)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "star*", "brace{", "at@", "plus+", "eq=", "caf\u00e9",
      "quote\"", "tab\t"})
  void typeWithCharacterOutsideTheAlphabetIsRefused(String type) {
    assertEquals(Optional.of(CHARACTERS), MessageTypes.problem(type));
  }
}
