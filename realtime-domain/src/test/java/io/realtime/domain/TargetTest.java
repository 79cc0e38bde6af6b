package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void factoriesBuildTheMatchingRecords() {
    assertEquals(new Target.Broadcast(), Target.broadcast());
    assertEquals(new Target.User(new UserId("alice")), Target.user("alice"));
    assertEquals(new Target.Role("admin"), Target.role("admin"));
    assertEquals(new Target.Connection(new ConnectionId("c1")), Target.connection("c1"));
    assertEquals(new Target.Topic(new TopicName("feed")), Target.topic("feed"));
  }

  @Test
  void blankValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Target.role(" "));
    assertThrows(IllegalArgumentException.class, () -> Target.user(""));
    assertThrows(IllegalArgumentException.class, () -> Target.connection("\t"));
    assertThrows(IllegalArgumentException.class, () -> Target.topic(""));
    assertThrows(NullPointerException.class, () -> new Target.Role(null));
  }

  @Test
  void topicTargetRefusesAnInvalidName() {
    assertThrows(IllegalArgumentException.class, () -> Target.topic("order:*"));
  }
}
