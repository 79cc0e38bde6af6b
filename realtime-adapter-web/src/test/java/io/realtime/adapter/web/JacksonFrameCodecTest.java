package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JacksonFrameCodecTest {
  private final JacksonFrameCodec codec = new JacksonFrameCodec();

  private ClientCommand.Malformed malformed(String text) {
    return assertInstanceOf(ClientCommand.Malformed.class, codec.decode(text), text);
  }


  @Test
  void decodesPingWithAndWithoutRef() {
    assertEquals(new ClientCommand.Ping("7"), codec.decode("{\"type\":\"ping\",\"ref\":\"7\"}"));
    assertEquals(new ClientCommand.Ping(""), codec.decode("{\"type\":\"ping\"}"));
  }

  @Test
  void decodesSubscribeWithOptionalFields() {
    assertEquals(new ClientCommand.Subscribe("1", "order:1", "", false),
        codec.decode("{\"type\":\"subscribe\",\"topic\":\"order:1\",\"ref\":\"1\"}"));
    assertEquals(new ClientCommand.Subscribe("1", "order:1", "4-ab", true),
        codec.decode("{\"ref\":\"1\",\"since\":\"4-ab\",\"presence\":true,"
            + "\"topic\":\"order:1\",\"type\":\"subscribe\"}"));
    assertEquals(new ClientCommand.Subscribe("", "t", "", false),
        codec.decode("{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":null,\"presence\":null}"));
  }

  @Test
  void decodesUnsubscribeAndRefresh() {
    assertEquals(new ClientCommand.Unsubscribe("2", "a"),
        codec.decode("{\"type\":\"unsubscribe\",\"topic\":\"a\",\"ref\":\"2\"}"));
    assertEquals(new ClientCommand.Refresh("3", "eyJ.x.y"),
        codec.decode("{\"type\":\"refresh\",\"token\":\"eyJ.x.y\",\"ref\":\"3\"}"));
  }

  @Test
  void publishPayloadIsTheExactSourceText() {
    String payload = "{ \"a\" : [1, 2.50, -3e+2, true, null, \"}\\\"{\"], "
        + "\"b\":{\"c\":\"\\u00e9\"} }";
    ClientCommand c = codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"event\":\"e\","
        + "\"payload\":" + payload + "  ,\"ref\":\"9\"}");
    assertEquals(new ClientCommand.Publish("9", "t", "e", new RawJson(payload)), c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "-0.5e-3", "true", "false", "null", "\"x\\n\\\"y\"", "[]",
      "[1,[2,[3]]]", "{}", "\"\u00e9\ud83d\ude00\""})
  void publishPayloadOfAnyJsonTypeIsKeptVerbatim(String payload) {
    ClientCommand c = codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"event\":\"e\","
        + "\"payload\":" + payload + "}");
    assertEquals(payload, ((ClientCommand.Publish) c).payload().text());
  }

  @Test
  void largePayloadBeyondTheParsersBufferIsSlicedExactly() {
    StringBuilder big = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 5000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"s\":\"\u00e9x\"}");
    }
    String payload = big.append("]}").toString();
    assertTrue(payload.length() > 70_000);
    ClientCommand c = codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"event\":\"e\","
        + "\"payload\":" + payload + ",\"ref\":\"r\"}");
    assertEquals(payload, ((ClientCommand.Publish) c).payload().text());
  }

  @Test
  void unknownTypeIsCustomWithTheWholeFrame() {
    String frame = "{\"type\":\"typing\",\"ref\":\"5\",\"topic\":42,\"x\":{\"y\":[1]}}";
    assertEquals(new ClientCommand.Custom("5", "typing", new RawJson(frame)), codec.decode(frame));
  }

  @Test
  void missingTypeIsBadRequestRepeatingRef() {
    ClientCommand.Malformed m = malformed("{\"ref\":\"4\",\"topic\":\"a\"}");
    assertEquals("4", m.ref());
    assertEquals(ErrorCode.BAD_REQUEST, m.code());
    assertEquals("field 'type' is required", m.message());
  }

  @Test
  void wrongFieldTypesNameTheField() {
    assertEquals("field 'type' must be a string", malformed("{\"type\":1}").message());
    assertEquals("field 'topic' must be a string",
        malformed("{\"type\":\"subscribe\",\"topic\":5,\"ref\":\"1\"}").message());
    assertEquals("field 'topic' is required", malformed("{\"type\":\"subscribe\"}").message());
    assertEquals("field 'presence' must be a boolean",
        malformed("{\"type\":\"subscribe\",\"topic\":\"a\",\"presence\":\"yes\"}").message());
    assertEquals("field 'since' must be a string",
        malformed("{\"type\":\"subscribe\",\"topic\":\"a\",\"since\":3}").message());
    assertEquals("field 'event' is required",
        malformed("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":1}").message());
    assertEquals("field 'payload' is required",
        malformed("{\"type\":\"publish\",\"topic\":\"a\",\"event\":\"e\"}").message());
    assertEquals("field 'token' must be a string",
        malformed("{\"type\":\"refresh\",\"token\":[]}").message());
    assertEquals("field 'type' must not be empty", malformed("{\"type\":\"\"}").message());
  }

  @Test
  void nonStringRefIsBadRequestWithoutRef() {
    ClientCommand.Malformed m = malformed("{\"type\":\"ping\",\"ref\":1}");
    assertEquals("", m.ref());
    assertEquals("field 'ref' must be a string", m.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not json", "[1,2]", "\"text\"", "42", "null",
      "{\"type\":\"ping\"", "{\"type\":\"ping\"}{}", "{\"type\":\"ping\"} x", "{type:\"ping\"}",
      "{\"type\":\"ping\",}", "{\"type\":\"ping\",\"type\":\"subscribe\"}", "{'type':'ping'}"})
  void malformedInputIsBadRequestNeverAnException(String text) {
    ClientCommand.Malformed m = malformed(text);
    assertEquals(ErrorCode.BAD_REQUEST, m.code());
    assertTrue(!m.message().isBlank());
  }

  @Test
  void malformedJsonAfterRefStillRepeatsRef() {
    assertEquals("8", malformed("{\"ref\":\"8\",\"type\":\"ping\",").ref());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"publish\",\"topic\":\"t\",\"event\":\"e\",\"payload\":NUM,\"ref\":\"r\"}",
      "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":NUM,\"ref\":\"r\"}",
      "{\"type\":\"ping\",\"x\":[NUM],\"ref\":\"r\"}",
      "{\"type\":\"ping\",\"ref\":\"r\",\"x\":NUM}",
      "{\"x\":{\"y\":NUM},\"ref\":\"r\",\"type\":\"ping\"}"})
  void aNumberOverTheLimitIsBadRequestRepeatingTheRefWherever(String template) {
    String frame = template.replace("NUM", "9".repeat(1200));
    ClientCommand.Malformed m = malformed(frame);
    assertEquals("r", m.ref(), m.message());
    assertEquals(ErrorCode.BAD_REQUEST, m.code());
    assertTrue(m.message().contains("Number value length"), m.message());
    assertEquals("r", codec.ref(frame));
  }

  @Test
  void deepNestingAndDuplicateKeysBeforeTheRefStillRepeatIt() {
    String deep = "{\"type\":\"x\",\"d\":" + "[".repeat(2000) + "]".repeat(2000)
        + ",\"ref\":\"d\"}";
    assertEquals("d", malformed(deep).ref());
    assertEquals("u", malformed("{\"type\":\"ping\",\"type\":\"x\",\"ref\":\"u\"}").ref());
    assertEquals("first", malformed("{\"ref\":\"first\",\"ref\":\"second\",\"type\":\"ping\"}")
        .ref());
  }

  @Test
  void aRefAfterASyntaxErrorCannotBeReadAndIsNotGuessed() {
    assertEquals("", malformed("{\"type\":\"ping\" \"ref\":\"r\"}").ref());
    assertEquals("", malformed("[{\"ref\":\"r\"}]").ref());
  }

  @Test
  void nestingBeyond32IsRefused() {
    String ok = "{\"type\":\"x\",\"d\":" + "[".repeat(30) + "]".repeat(30) + "}";
    assertInstanceOf(ClientCommand.Custom.class, codec.decode(ok));
    String deep = "{\"type\":\"x\",\"d\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertTrue(malformed(deep).message().contains("nesting"), malformed(deep).message());
  }

  @Test
  void framesLongerThanTheLimitAreRefused() {
    JacksonFrameCodec small = new JacksonFrameCodec(100);
    String text = "{\"type\":\"x\",\"pad\":\"" + "a".repeat(200) + "\"}";
    ClientCommand c = small.decode(text);
    assertEquals("frame is longer than 100 characters",
        assertInstanceOf(ClientCommand.Malformed.class, c).message());
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertEquals(new ClientCommand.Ping("1"),
        codec.decode("{\"type\":\"ping\",\"ref\":\"1\",\"extra\":{\"deep\":[1,2,{}]}}"));
  }


  private String encode(ServerFrame frame) {
    return codec.encode(frame).text();
  }

  @Test
  void encodesWelcomeWithSortedRoles() {
    assertEquals("{\"type\":\"welcome\",\"connectionId\":\"c1\",\"userId\":\"u1\","
            + "\"roles\":[\"admin\",\"dev\"],\"heartbeatSeconds\":30}",
        encode(new ServerFrame.Welcome(new ConnectionId("c1"), new UserId("u1"),
            Set.of("dev", "admin"), 30)));
  }

  @Test
  void encodesMessageSplicingPayloadAndTimestampInUtc() {
    Instant ts = Instant.parse("2026-11-24T10:15:30.123456Z");
    String payload = "{ \"message\" : \"New order\" }";
    assertEquals("{\"type\":\"notification\",\"id\":\"m1\",\"payload\":" + payload
            + ",\"ts\":\"2026-11-24T10:15:30.123Z\"}",
        encode(new ServerFrame.Message(new Envelope("m1", "notification", new RawJson(payload),
            ts, Target.user("u1")))));
    assertEquals("{\"type\":\"chat\",\"id\":\"3-ab\",\"topic\":\"room:1\",\"payload\":1,"
            + "\"ts\":\"2026-11-24T10:15:30.000Z\"}",
        encode(new ServerFrame.Message(new Envelope("3-ab", "chat", new RawJson("1"),
            Instant.parse("2026-11-24T10:15:30Z"), Target.topic("room:1")))));
  }

  @Test
  void encodesAcksPongsAndErrorsOmittingEmptyRef() {
    assertEquals("{\"type\":\"ack\",\"ref\":\"1\"}", encode(new ServerFrame.Ack("1")));
    assertEquals("{\"type\":\"ack\"}", encode(new ServerFrame.Ack("")));
    assertEquals("{\"type\":\"ack\",\"ref\":\"1\",\"recovered\":true}",
        encode(new ServerFrame.RecoveryAck("1", true)));
    assertEquals("{\"type\":\"ack\",\"ref\":\"1\",\"recovered\":false}",
        encode(new ServerFrame.RecoveryAck("1", false)));
    assertEquals("{\"type\":\"pong\",\"ref\":\"p\"}", encode(new ServerFrame.Pong("p")));
    assertEquals("{\"type\":\"pong\"}", encode(new ServerFrame.Pong("")));
    assertEquals("{\"type\":\"error\",\"ref\":\"2\",\"code\":\"forbidden\",\"message\":\"no\"}",
        encode(ServerFrame.Error.of("2", ErrorCode.FORBIDDEN, "no")));
    assertEquals("{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"x\"}",
        encode(ServerFrame.Error.of("", ErrorCode.BAD_REQUEST, "x")));
  }

  @Test
  void encodesPresence() {
    assertEquals("{\"type\":\"presence\",\"topic\":\"t\",\"joins\":[\"a\",\"b\"],\"leaves\":[]}",
        encode(new ServerFrame.Presence(new TopicName("t"),
            List.of(new UserId("a"), new UserId("b")), List.of())));
  }

  @Test
  void escapesStringsSoTheFrameStaysValidJson() {
    String ref = "q\"\\\n\t\u0001\u2028\ud800";
    String text = encode(new ServerFrame.Ack(ref));
    assertEquals("{\"type\":\"ack\",\"ref\":\"q\\\"\\\\\\n\\t\\u0001\\u2028\\ud800\"}", text);
    // and our own decoder reads the same ref back
    ClientCommand c = codec.decode(text.replace("\"ack\"", "\"ping\""));
    assertEquals(ref, c.ref());
  }

  @Test
  void decodeOfEncodedMessageRoundTripsThroughCustom() {
    String text = encode(new ServerFrame.Message(new Envelope("i", "x", new RawJson("[1]"),
        Instant.EPOCH, Target.broadcast())));
    ClientCommand c = codec.decode(text);
    assertEquals(new ClientCommand.Custom("", "x", new RawJson(text)), c);
  }
}
