package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteKindTest {

  @Test
  void wireNamesAreThoseOfTheProtocol() {
    assertEquals("broadcast", RouteKind.BROADCAST.wire());
    assertEquals("user", RouteKind.USER.wire());
    assertEquals("role", RouteKind.ROLE.wire());
    assertEquals("connection", RouteKind.CONNECTION.wire());
    assertEquals("topic", RouteKind.TOPIC.wire());
    assertEquals(5, RouteKind.values().length);
  }

  @Test
  void wireNameReadsBackToItsKind() {
    for (RouteKind kind : RouteKind.values()) {
      assertEquals(Optional.of(kind), RouteKind.fromWire(kind.wire()));
    }
  }

  @Test
  void unknownOrDifferentlyCasedWireNameIsEmpty() {
    assertEquals(Optional.empty(), RouteKind.fromWire("BROADCAST"));
    assertEquals(Optional.empty(), RouteKind.fromWire("everyone"));
    assertEquals(Optional.empty(), RouteKind.fromWire(""));
    assertEquals(Optional.empty(), RouteKind.fromWire(null));
  }

  @Test
  void eachTargetReportsItsKind() {
    assertEquals(RouteKind.BROADCAST, Target.broadcast().kind());
    assertEquals(RouteKind.USER, Target.user("alice").kind());
    assertEquals(RouteKind.ROLE, Target.role("admin").kind());
    assertEquals(RouteKind.CONNECTION, Target.connection("c1").kind());
    assertEquals(RouteKind.TOPIC, Target.topic("feed").kind());
  }
}
