package io.realtime.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeWireTest {
  private static final Instant TS = Instant.ofEpochSecond(1764657926L, 123456789);

  @Test
  void everyTargetKindAndEveryPayloadByteSurvive() {
    String payload = "{\"a\":\"h\u00e9 \ud83d\ude00\\n\",\n \"b\" : [1,2:3]}";
    for (Target t : List.of(Target.broadcast(), Target.user("al:ice\n2"), Target.role("admin"),
        Target.connection("n-1:c-2"), Target.topic("order:123"))) {
      Envelope e = new Envelope("42-abc", "order.created", new RawJson(payload), TS, t);
      EnvelopeWire.Received r = EnvelopeWire.decodeMessage(EnvelopeWire.message(e, "node-7"));
      assertEquals(e, r.envelope());
      assertEquals("node-7", r.origin());
      assertEquals(payload, r.envelope().payload().text());
    }
  }

  @Test
  void aStoredBodyTakesItsIdFromThePosition() {
    Envelope e = new Envelope("x", "t", RawJson.EMPTY_OBJECT, TS, Target.topic("feed"));
    assertEquals(e.withId("7-ep"),
        EnvelopeWire.decodeBody("7-ep", EnvelopeWire.body(e, "n")).envelope());
  }

  @Test
  void theLuaScriptsIdPrefixIsAField() {
    Envelope e = new Envelope("x", "t", RawJson.EMPTY_OBJECT, TS, Target.topic("feed"));
    String id = "12-k3x9";
    String lua = id.length() + ":" + id + EnvelopeWire.body(e, "n"); // as the publish script
    assertEquals(e.withId(id), EnvelopeWire.decodeMessage(lua).envelope());
  }

  @Test
  void nodeCommandsRoundTrip() {
    Envelope c = new Envelope("m1", "job", RawJson.NULL, TS, Target.connection("b-1"));
    for (NodeCommand cmd : List.of(new NodeCommand.Deliver(c),
        new NodeCommand.Kick(new ConnectionId("b-1"), 7),
        new NodeCommand.Subscribe(new ConnectionId("b-1"), new TopicName("t:1"), 8),
        new NodeCommand.Answer(7, true), new NodeCommand.Answer(8, false))) {
      assertEquals(new NodeCommand.Received(cmd, "a"),
          NodeCommand.decode(NodeCommand.encode(cmd, "a")));
    }
  }

  @Test
  void malformedTextIsRefusedNotMisread() {
    for (String junk : List.of("", "x", "5:ab", "2:id9", "2:id1", "2:id11:n3:1.2z0:4:type{}",
        "2:id11:n3:1.2b0:999:type{}", "-1:ab")) {
      assertThrows(IllegalArgumentException.class, () -> EnvelopeWire.decodeMessage(junk), junk);
    }
    assertThrows(IllegalArgumentException.class, () -> NodeCommand.decode("Q1:a"));
  }
}
