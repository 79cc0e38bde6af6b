package io.realtime.adapter.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.realtime.domain.ClientCommand;
import io.realtime.domain.Envelope;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.UserId;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The wire format of PROTOCOL.md section 3: client frames decoded with Jackson's streaming
 * parser, server frames written by hand.
 *
 * <p>Decoding never throws: malformed JSON, a non-object, a missing {@code type}, a missing
 * field or one of the wrong type all become {@link ClientCommand.Malformed} with
 * {@code bad_request} and a message naming the field. Nesting deeper than 32, numbers longer
 * than 1000 digits and frames longer than the configured maximum are refused the same way.
 * Whatever is wrong, the answer carries the frame's {@code ref} when a top-level string
 * {@code ref} can be read before the first syntax error ({@link #ref(String)}). A
 * {@code publish} payload and a custom frame are kept as the exact text the client sent.
 *
 * <p>Encoding splices a message's raw payload in verbatim (no re-parse); {@code ts} is ISO-8601
 * UTC with milliseconds; {@code topic} appears only on topic messages, {@code recovered} only
 * on a recovery {@code ack}, and {@code ref} only when the request carried one.
 *
 * <p>Thread-safe and stateless apart from the shared parser factory; never blocks.
 */
public final class JacksonFrameCodec implements FrameCodec {
  /** Longest client frame decoded by default, in characters (the transports cap bytes). */
  public static final int DEFAULT_MAX_CHARS = 1 << 20;

  private static final Set<String> FRAME_FIELDS =
      Set.of("type", "ref", "topic", "since", "presence", "event", "payload", "token");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final JsonFactory factory;
  private final JsonFactory refFactory;
  private final int maxChars;

  public JacksonFrameCodec() {
    this(DEFAULT_MAX_CHARS);
  }

  /** @param maxChars longest client frame to decode; longer ones are {@code bad_request} */
  public JacksonFrameCodec(int maxChars) {
    if (maxChars < 64) {
      throw new IllegalArgumentException("maxChars must be at least 64");
    }
    this.maxChars = maxChars;
    this.factory = JsonFields.factory(maxChars);
    this.refFactory = JsonFields.lenientFactory(maxChars);
  }


  @Override
  public ClientCommand decode(String text) {
    if (text.length() > maxChars) {
      return malformed("", "frame is longer than " + maxChars + " characters");
    }
    JsonFields fields = JsonFields.read(factory, text, FRAME_FIELDS);
    if (!fields.ok()) {
      // refused by a guard (a number too long, nesting too deep, a duplicate key) or broken
      // after the ref: the client still learns which request failed
      return malformed(ref(text), fields.problem());
    }
    String ref;
    try {
      ref = fields.optionalString("ref");
    } catch (JsonFields.BadField e) { // a ref that is not a string: no ref to repeat
      return malformed("", e.getMessage());
    }
    try {
      String type = fields.string("type");
      return switch (type) {
        case "ping" -> new ClientCommand.Ping(ref);
        case "subscribe" -> new ClientCommand.Subscribe(ref, fields.string("topic"),
            fields.optionalString("since"), fields.optionalBoolean("presence"));
        case "unsubscribe" -> new ClientCommand.Unsubscribe(ref, fields.string("topic"));
        case "publish" -> new ClientCommand.Publish(ref, fields.string("topic"),
            fields.string("event"), new RawJson(fields.raw("payload")));
        case "refresh" -> new ClientCommand.Refresh(ref, fields.string("token"));
        case "" -> malformed(ref, "field 'type' must not be empty");
        default -> new ClientCommand.Custom(ref, type, new RawJson(text.strip()));
      };
    } catch (JsonFields.BadField e) {
      return malformed(ref, e.getMessage());
    }
  }

  @Override
  public String ref(String text) {
    if (text.length() > maxChars) {
      return "";
    }
    // the lenient factory: a guard that refuses the frame (number length, depth, duplicate
    // keys) must not hide the ref of the frame it refuses
    try (JsonParser parser = refFactory.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      // stops at the first top-level "ref": nothing after it is parsed
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isRef = "ref".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (isRef) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : "";
        }
        parser.skipChildren();
      }
      return "";
    } catch (IOException | RuntimeException e) { // unreadable up to the ref: there is none
      return "";
    }
  }

  private static ClientCommand.Malformed malformed(String ref, String message) {
    return new ClientCommand.Malformed(ref, ErrorCode.BAD_REQUEST, message);
  }


  @Override
  public EncodedFrame encode(ServerFrame frame) {
    return new EncodedFrame(text(frame));
  }

  private static String text(ServerFrame frame) {
    if (frame instanceof ServerFrame.Message m) {
      return message(m.envelope());
    }
    if (frame instanceof ServerFrame.Welcome w) {
      StringBuilder out = new StringBuilder(128);
      out.append("{\"type\":\"welcome\",\"connectionId\":");
      JsonText.quote(out, w.connectionId().value()).append(",\"userId\":");
      JsonText.quote(out, w.userId().value()).append(",\"roles\":");
      JsonText.array(out, w.roles().stream().sorted().toList());
      return out.append(",\"heartbeatSeconds\":").append(w.heartbeatSeconds()).append('}')
          .toString();
    }
    if (frame instanceof ServerFrame.Ack a) {
      return withRef("ack", a.ref()).append('}').toString();
    }
    if (frame instanceof ServerFrame.RecoveryAck a) {
      return withRef("ack", a.ref()).append(",\"recovered\":").append(a.recovered()).append('}')
          .toString();
    }
    if (frame instanceof ServerFrame.Pong p) {
      return withRef("pong", p.ref()).append('}').toString();
    }
    if (frame instanceof ServerFrame.Error e) {
      StringBuilder out = withRef("error", e.ref()).append(",\"code\":");
      JsonText.quote(out, e.code()).append(",\"message\":");
      return JsonText.quote(out, e.message()).append('}').toString();
    }
    if (frame instanceof ServerFrame.Presence p) {
      StringBuilder out = new StringBuilder(64);
      out.append("{\"type\":\"presence\",\"topic\":");
      JsonText.quote(out, p.topic().value()).append(",\"joins\":");
      JsonText.array(out, names(p.joins())).append(",\"leaves\":");
      return JsonText.array(out, names(p.leaves())).append('}').toString();
    }
    throw new AssertionError(frame);
  }

  /** Encoded once per message and shared by all its recipients. */
  private static String message(Envelope envelope) {
    String payload = envelope.payload().text();
    StringBuilder out = new StringBuilder(96 + payload.length() + envelope.type().length());
    out.append("{\"type\":");
    JsonText.quote(out, envelope.type()).append(",\"id\":");
    JsonText.quote(out, envelope.id());
    if (envelope.topic().isPresent()) {
      out.append(",\"topic\":");
      JsonText.quote(out, envelope.topic().get().value());
    }
    out.append(",\"payload\":").append(payload); // validated JSON: spliced, never re-parsed
    out.append(",\"ts\":");
    JsonText.quote(out, timestamp(envelope.timestamp()));
    return out.append('}').toString();
  }

  static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static StringBuilder withRef(String type, String ref) {
    StringBuilder out = new StringBuilder(32 + ref.length());
    out.append("{\"type\":\"").append(type).append('"');
    if (!ref.isEmpty()) {
      out.append(",\"ref\":");
      JsonText.quote(out, ref);
    }
    return out;
  }

  private static List<String> names(List<UserId> users) {
    List<String> out = new ArrayList<>(users.size());
    for (UserId u : users) {
      out.add(u.value());
    }
    return out;
  }
}
