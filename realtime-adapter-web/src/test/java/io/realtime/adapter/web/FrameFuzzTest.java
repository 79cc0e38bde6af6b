package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.HandlerResult;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.core.RealtimeCore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random and mutated client frames through the real codec and core: wrong types, missing
 * fields, huge numbers, deep nesting, control characters, lone surrogates, truncation. The
 * connection must survive every one, and every answer must be a well-formed protocol frame
 * (an {@code error} naming a protocol code, or the normal answer of a frame that happened to
 * be valid). Seeded: a failure prints the seed and the frame; replay with
 * {@code -Drealtime.seed=<seed>}.
 */
class FrameFuzzTest {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> ERROR_CODES = Arrays.stream(ErrorCode.values())
      .map(ErrorCode::wire).collect(Collectors.toSet());
  private static final List<String> VALID = List.of(
      "{\"type\":\"ping\",\"ref\":\"1\"}",
      "{\"type\":\"subscribe\",\"topic\":\"room:1\",\"ref\":\"2\"}",
      "{\"type\":\"subscribe\",\"topic\":\"room:2\",\"since\":\"3-abc\",\"presence\":true}",
      "{\"type\":\"unsubscribe\",\"topic\":\"room:1\",\"ref\":\"3\"}",
      "{\"type\":\"publish\",\"topic\":\"room:1\",\"event\":\"said\",\"payload\":{\"t\":[1,2]}}",
      "{\"type\":\"refresh\",\"token\":\"alice\",\"ref\":\"4\"}",
      "{\"type\":\"typing\",\"ref\":\"5\",\"at\":12.5}");
  private static final List<String> ODD_VALUES = List.of(
      "null", "true", "-0", "1e999999", "123456789012345678901234567890", "[]", "{}",
      "\"\"", "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{}}}");
  private static final String NOISE = "{}[]\",:\\ \t\n\u0000\u001f\u00e9\u4e2d\ud83d\ude00\ud800"
      + "0123456789eE+-.truefalsnul";

  static LongStream seeds() {
    String only = System.getProperty("realtime.seed");
    return only != null && !only.isBlank() ? LongStream.of(Long.parseLong(only))
        : LongStream.range(0, 150);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void noFrameCrashesTheConnectionAndEveryAnswerIsAProtocolFrame(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Principal alice = Principal.of(new UserId("alice"))
        .withPermissions(Set.of(Permissions.PUBLISH)).withTopics(List.of(new TopicPattern("*")));
    RealtimeCore core = RealtimeCore.builder(token -> token.equals("alice") ? new TokenCheck.Valid(alice)
                : new TokenCheck.Invalid(AuthFailure.MALFORMED)).codec(new JacksonFrameCodec())
        .settings(RealtimeSettings.defaults().withClientRate(1e9, Integer.MAX_VALUE))
        .build();
    try {
      WebAdapter web = WebAdapter.builder(RealtimeSettings.defaults(), core).build();
      RecordingSink sink = RecordingSink.inline();
      WebSocketBridge bridge = web.connect((HandshakeDecision.Accept) web.handshake(
          new HandshakeRequest("/ws", NamedValues.of(Map.of("token", List.of("alice"))),
              NamedValues.EMPTY, "127.0.0.1")), sink);
      for (int i = 0; i < 60; i++) {
        String frame = fuzz(random);
        int before = sink.sentList().size();
        try {
          bridge.onText(frame);
        } catch (RuntimeException e) {
          fail("seed " + seed + " frame " + quote(frame) + " threw " + e);
        }
        List<String> answers = sink.sentList().subList(before, sink.sentList().size());
        assertTrue(!answers.isEmpty(), "seed " + seed + ": no answer to " + quote(frame));
        for (String answer : answers) {
          checkProtocolFrame(answer, seed, frame);
        }
        assertTrue(sink.isOpen(), "seed " + seed + ": closed after " + quote(frame));
      }
      bridge.onText("{\"type\":\"ping\",\"ref\":\"end\"}");
      List<String> sent = sink.sentList();
      assertEquals("{\"type\":\"pong\",\"ref\":\"end\"}", sent.get(sent.size() - 1));
    } finally {
      core.close();
    }
  }

  /**
   * Every client frame type, with fields in random order, one of them spoiled (a number of
   * 1,200 digits, nesting beyond the limit, a wrong type, a missing field, a duplicate key,
   * content after the object) or none, and a ref that is readable (a top-level string before
   * any syntax error) or deliberately not (absent, not a string, after a syntax error, inside
   * an array). Each frame must get exactly one answer carrying a ref, and it must carry the
   * frame's ref; a frame without a readable ref must get exactly one answer, an error without
   * a ref. Seeded: replay with {@code -Drealtime.seed=<seed>}.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void everyReadableRefGetsExactlyOneAnswerCarryingIt(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Principal alice = Principal.of(new UserId("alice"))
        .withPermissions(Set.of(Permissions.PUBLISH)).withTopics(List.of(new TopicPattern("*")));
    RealtimeCore core = RealtimeCore.builder(token -> token.equals("alice")
                ? new TokenCheck.Valid(alice) : new TokenCheck.Invalid(AuthFailure.MALFORMED))
        .codec(new JacksonFrameCodec())
        .settings(RealtimeSettings.defaults().withClientRate(1e9, Integer.MAX_VALUE))
        .handler("echo", (sender, type, frame) -> HandlerResult.ack())
        .build();
    try {
      WebAdapter web = WebAdapter.builder(RealtimeSettings.defaults(), core).build();
      RecordingSink sink = RecordingSink.inline();
      WebSocketBridge bridge = web.connect((HandshakeDecision.Accept) web.handshake(
          new HandshakeRequest("/ws", NamedValues.of(Map.of("token", List.of("alice"))),
              NamedValues.EMPTY, "127.0.0.1")), sink);
      for (int i = 0; i < 40; i++) {
        RefFrame f = refFrame(random, "r" + seed + "-" + i);
        int before = sink.sentList().size();
        bridge.onText(f.text());
        List<String> answers = sink.sentList().subList(before, sink.sentList().size());
        String context = "seed " + seed + " frame " + quote(f.text()) + " answers " + answers;
        List<String> refs = new ArrayList<>();
        for (String answer : answers) {
          checkProtocolFrame(answer, seed, f.text());
          String ref = refOf(answer);
          if (ref != null) {
            refs.add(ref);
          }
        }
        if (f.ref() != null) {
          assertEquals(List.of(f.ref()), refs, "one answer with the ref: " + context);
        } else {
          assertEquals(List.of(), refs, "no ref to repeat: " + context);
          List<String> replies = answers.stream().filter(a -> a.startsWith("{\"type\":\"error\"")
              || a.startsWith("{\"type\":\"ack\"") || a.startsWith("{\"type\":\"pong\""))
              .toList();
          assertEquals(1, replies.size(), "one answer: " + context);
          if (f.refSpoiled()) {
            assertTrue(replies.get(0).startsWith("{\"type\":\"error\""), "an error: " + context);
          }
        }
        assertTrue(sink.isOpen(), "closed after " + context);
      }
    } finally {
      core.close();
    }
  }

  /**
   * A frame and the ref its answer must carry; {@code null} when it has none that can be read,
   * and {@code refSpoiled} when it has one that is wrong (so the answer must be an error).
   */
  private record RefFrame(String text, String ref, boolean refSpoiled) {}

  private static final String HUGE_NUMBER = "9".repeat(1200);

  private static RefFrame refFrame(SplittableRandom r, String ref) {
    List<String[]> fields = new ArrayList<>();
    switch (r.nextInt(7)) {
      case 0 -> fields.add(new String[] {"type", "\"ping\""});
      case 1 -> {
        fields.add(new String[] {"type", "\"subscribe\""});
        fields.add(new String[] {"topic", "\"room:" + r.nextInt(3) + "\""});
        if (r.nextBoolean()) {
          fields.add(new String[] {"since", "\"1-abc\""});
        }
        if (r.nextBoolean()) {
          fields.add(new String[] {"presence", r.nextBoolean() ? "true" : "false"});
        }
      }
      case 2 -> {
        fields.add(new String[] {"type", "\"unsubscribe\""});
        fields.add(new String[] {"topic", "\"room:" + r.nextInt(3) + "\""});
      }
      case 3 -> {
        fields.add(new String[] {"type", "\"publish\""});
        fields.add(new String[] {"topic", "\"room:" + r.nextInt(3) + "\""});
        fields.add(new String[] {"event", "\"said\""});
        fields.add(new String[] {"payload", "{\"n\":[1,2.5,\"x\"]}"});
      }
      case 4 -> {
        fields.add(new String[] {"type", "\"refresh\""});
        fields.add(new String[] {"token", r.nextBoolean() ? "\"alice\"" : "\"bogus\""});
      }
      case 5 -> {
        fields.add(new String[] {"type", "\"echo\""});
        fields.add(new String[] {"body", "{\"a\":1}"});
      }
      default -> fields.add(new String[] {"type", "\"no-handler\""});
    }
    // spoil one field's value (never the ref's)
    int spoil = r.nextInt(fields.size() + 1);
    String trailer = "";
    if (spoil < fields.size()) {
      String[] f = fields.get(spoil);
      switch (r.nextInt(6)) {
        case 0 -> f[1] = HUGE_NUMBER;
        case 1 -> f[1] = "{\"n\":[" + HUGE_NUMBER + "]}";
        case 2 -> {
          int depth = 33 + r.nextInt(3000);
          f[1] = "[".repeat(depth) + "]".repeat(depth);
        }
        case 3 -> f[1] = ODD_VALUES.get(r.nextInt(ODD_VALUES.size()));
        case 4 -> fields.remove(spoil);
        default -> fields.add(new String[] {f[0], f[1]}); // a duplicate key
      }
    } else if (r.nextInt(4) == 0) {
      trailer = r.nextBoolean() ? "{}" : " x";
    }
    // the ref: readable, or not in one of the ways a client gets it wrong
    int refKind = r.nextInt(10);
    String expected = ref;
    String[] refField = new String[] {"ref", JsonText.quote(new StringBuilder(), ref).toString()};
    if (refKind == 0) {
      refField = null;
      expected = null;
    } else if (refKind == 1) {
      refField[1] = r.nextBoolean() ? "12" : "{\"ref\":\"" + ref + "\"}";
      expected = null;
    }
    int at = r.nextInt(fields.size() + 1);
    if (refField != null) {
      fields.add(at, refField);
    }
    StringBuilder b = new StringBuilder("{");
    for (int k = 0; k < fields.size(); k++) {
      if (k > 0) {
        b.append(',');
      }
      b.append('"').append(fields.get(k)[0]).append("\":").append(fields.get(k)[1]);
    }
    String text = b.append('}').append(trailer).toString();
    if (refKind == 2 && refField != null) { // a syntax error before the ref
      int refAt = text.indexOf("\"ref\":");
      text = text.substring(0, refAt) + "\u0001" + text.substring(refAt);
      expected = null;
    } else if (refKind == 3) { // not an object at all
      text = "[" + text + "]";
      expected = null;
    }
    return new RefFrame(text, expected, expected == null && refKind != 0);
  }

  /** The top-level string {@code ref} of a server frame, or {@code null}. */
  private static String refOf(String answer) {
    try (JsonParser p = JSON.createParser(answer)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("ref") && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + answer, e);
    }
  }

  /** A valid frame, a mutation of one, or noise. */
  private static String fuzz(SplittableRandom r) {
    String base = VALID.get(r.nextInt(VALID.size()));
    switch (r.nextInt(8)) {
      case 0:
        return base;
      case 1: // a field value replaced by a value of another type
        return base.replaceFirst(":(\"[^\"]*\"|\\{[^}]*\\}|[0-9.]+|true)",
            ":" + ODD_VALUES.get(r.nextInt(ODD_VALUES.size())));
      case 2: // truncated
        return base.substring(0, r.nextInt(base.length()));
      case 3: { // characters replaced
        StringBuilder b = new StringBuilder(base);
        for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
          b.setCharAt(r.nextInt(b.length()), NOISE.charAt(r.nextInt(NOISE.length())));
        }
        return b.toString();
      }
      case 4: { // deep nesting around or inside
        int depth = 1 + r.nextInt(3000);
        String nest = "[".repeat(depth) + "]".repeat(depth);
        return r.nextBoolean() ? nest : base.replace("}", ",\"deep\":" + nest + "}");
      }
      case 5: // a field removed
        return base.replaceFirst(",?\"(topic|event|payload|token)\":(\"[^\"]*\"|\\{[^}]*\\})", "");
      case 6: { // pure noise
        StringBuilder b = new StringBuilder();
        for (int k = 0, n = r.nextInt(200); k < n; k++) {
          b.append(NOISE.charAt(r.nextInt(NOISE.length())));
        }
        return b.toString();
      }
      default: // a frame repeated, or a duplicate key
        return r.nextBoolean() ? base + base : base.replace("{\"type\"", "{\"type\":\"x\",\"type\"");
    }
  }

  private static void checkProtocolFrame(String answer, long seed, String input) {
    String context = "seed " + seed + " input " + quote(input) + " answer " + answer;
    List<String> fields = new ArrayList<>();
    String type = null;
    String code = null;
    try (JsonParser p = JSON.createParser(answer)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), context);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        fields.add(name);
        JsonToken value = p.nextToken();
        if (name.equals("type")) {
          type = p.getText();
        } else if (name.equals("code")) {
          code = p.getText();
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          p.skipChildren();
        }
      }
      assertEquals(null, p.nextToken(), "one object per frame: " + context);
    } catch (IOException e) {
      fail("not JSON: " + context, e);
    }
    assertTrue(type != null && !type.isEmpty(), "no type: " + context);
    if (type.equals("error")) {
      assertTrue(ERROR_CODES.contains(code), "not a protocol error code: " + context);
      assertTrue(fields.contains("message"), context);
    }
  }

  private static String quote(String s) {
    String shown = s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + " chars)" : s;
    StringBuilder out = new StringBuilder("\"");
    shown.chars().forEach(c -> out.append(c < 0x20 || (c >= 0xd800 && c <= 0xdfff)
        ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.append('"').toString();
  }
}
