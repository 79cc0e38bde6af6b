package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.core.embedded.InProcessBackplane;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishServiceTest {
  private final CoreFixture fx = new CoreFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void eachTargetKindReachesExactlyItsRecipients() {
    var alicePhone = fx.connect(user("alice", "admin"));
    var aliceLaptop = fx.connect(user("alice", "admin"));
    var bob = fx.connect(user("bob", "staff"));
    var carol = fx.connect(user("carol"));
    carol.subscribe("order:1");
    bob.subscribe("order:1");

    fx.publishOk(Target.broadcast(), "all", "\"b\"");
    fx.publishOk(Target.user("alice"), "mine", "\"u\"");
    fx.publishOk(Target.role("staff"), "staff", "\"r\"");
    fx.publishOk(Target.connection(aliceLaptop.session.id().value()), "job", "\"c\"");
    fx.publishOk(Target.topic("order:1"), "order", "\"t\"");

    assertEquals(List.of("\"b\"", "\"u\""), alicePhone.payloads());
    assertEquals(List.of("\"b\"", "\"u\"", "\"c\""), aliceLaptop.payloads());
    assertEquals(List.of("\"b\"", "\"r\"", "\"t\""), bob.payloads());
    assertEquals(List.of("\"b\"", "\"t\""), carol.payloads());
  }

  @Test
  void recipientsCountThisNodesDeliveries() {
    fx.connect(user("alice"));
    fx.connect(user("alice"));
    var result = assertInstanceOf(PublishResult.Published.class,
        fx.publish(Target.user("alice"), "n", "{}"));
    assertEquals(2, result.recipients());
    assertTrue(fx.events.has("delivered:user:2"));
    var none = assertInstanceOf(PublishResult.Published.class,
        fx.publish(Target.user("nobody"), "n", "{}"));
    assertEquals(0, none.recipients());
  }

  @Test
  void aMessageIsEncodedOnceWhateverItsRecipients() {
    for (int i = 0; i < 50; i++) {
      fx.connect(user("u" + i));
    }
    fx.publishOk(Target.broadcast(), "tick", "{}");
    assertEquals(1, fx.codec.messageEncodings());
    fx.publishOk(Target.user("nobody"), "tick", "{}");
    assertEquals(1, fx.codec.messageEncodings(), "no recipient, no encoding");
  }

  @Test
  void reservedOrInvalidTypesAreRejected() {
    for (String type : List.of("welcome", "ack", "error", "pong", "ping", "presence", "subscribe",
        "unsubscribe", "publish", "refresh", "", "has space")) {
      var rejected = assertInstanceOf(PublishResult.Rejected.class,
          fx.publish(Target.broadcast(), type, "{}"), type);
      assertEquals(ErrorCode.BAD_REQUEST, rejected.code());
    }
  }

  @Test
  void deliveredMessageCarriesIdTypePayloadAndTimestamp() {
    var alice = fx.connect(user("alice"));
    String id = fx.publishOk(Target.user("alice"), "notification", "{\"message\":\"New order\"}");
    var m = assertInstanceOf(ServerFrame.Message.class, alice.last()).envelope();
    assertEquals(id, m.id());
    assertEquals("notification", m.type());
    assertEquals("{\"message\":\"New order\"}", m.payload().text());
    assertEquals(fx.clock.instant(), m.timestamp());
    assertTrue(m.topic().isEmpty());
  }

  @Test
  void messagesFromOnePublisherArriveInOrder() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("t");
    for (int i = 0; i < 100; i++) {
      fx.publishOk(i % 2 == 0 ? Target.topic("t") : Target.user("alice"), "n", String.valueOf(i));
    }
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(String.valueOf(i));
    }
    assertEquals(expected, alice.payloads());
  }

  @Test
  void nodesOnOneBackplaneDeliverToEachOthersConnections() {
    InProcessBackplane.Bus bus = new InProcessBackplane.Bus();
    try (var nodeA = new CoreFixture(b -> b.backplane(new InProcessBackplane(bus)));
         var nodeB = new CoreFixture(b -> b.backplane(new InProcessBackplane(bus)))) {
      var onA = nodeA.connect(user("alice"));
      var onB = nodeB.connect(user("alice"));
      var result = assertInstanceOf(PublishResult.Published.class,
          nodeA.publish(Target.user("alice"), "n", "\"x\""));
      assertEquals(1, result.recipients(), "recipients counts the publishing node only");
      assertEquals(List.of("\"x\""), onA.payloads());
      assertEquals(List.of("\"x\""), onB.payloads());
    }
  }
}
