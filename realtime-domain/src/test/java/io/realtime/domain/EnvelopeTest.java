package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final RawJson PAYLOAD = new RawJson("{\"n\":1}");

  private static Envelope envelope(String id, Target target) {
    return new Envelope(id, "note", PAYLOAD, NOW, target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"welcome", "ack", "error", "pong", "ping", "presence", "subscribe",
      "unsubscribe", "publish", "refresh"})
  void reservedTypeIsRefused(String type) {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Envelope("1", type, PAYLOAD, NOW, Target.broadcast()));
    assertEquals("reserved type: " + type, e.getMessage());
  }

  @Test
  void everyPartIsRequired() {
    assertThrows(NullPointerException.class,
        () -> new Envelope(null, "note", PAYLOAD, NOW, Target.broadcast()));
    assertThrows(NullPointerException.class,
        () -> new Envelope("1", null, PAYLOAD, NOW, Target.broadcast()));
    assertThrows(NullPointerException.class,
        () -> new Envelope("1", "note", null, NOW, Target.broadcast()));
    assertThrows(NullPointerException.class,
        () -> new Envelope("1", "note", PAYLOAD, null, Target.broadcast()));
    assertThrows(NullPointerException.class, () -> new Envelope("1", "note", PAYLOAD, NOW, null));
  }

  @Test
  void topicMessageHasItsTopic() {
    assertEquals(Optional.of(new TopicName("feed")),
        envelope("3-e", Target.topic("feed")).topic());
  }

  @Test
  void otherMessagesHaveNoTopic() {
    assertEquals(Optional.empty(), envelope("m1", Target.broadcast()).topic());
    assertEquals(Optional.empty(), envelope("m1", Target.user("alice")).topic());
    assertEquals(Optional.empty(), envelope("m1", Target.role("admin")).topic());
    assertEquals(Optional.empty(), envelope("m1", Target.connection("c1")).topic());
  }

  @Test
  void withIdKeepsEverythingElse() {
    Envelope before = envelope("tmp", Target.topic("feed"));
    assertEquals(new Envelope("7-e", "note", PAYLOAD, NOW, Target.topic("feed")),
        before.withId("7-e"));
  }
}
