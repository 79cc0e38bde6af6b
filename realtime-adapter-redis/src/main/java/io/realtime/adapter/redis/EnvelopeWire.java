package io.realtime.adapter.redis;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.time.Instant;

/**
 * The compact text form of an envelope on Redis. A message on a channel is its id followed by
 * its body; a stream entry holds the body only (the id is the entry's position). Every field
 * but the last is length-prefixed ({@code <length>:<text>}, length in UTF-16 units), so no
 * character needs escaping; the payload is the rest of the text, kept byte for byte:
 *
 * <pre>
 * message := field(id) body
 * body    := "1" field(origin node) field(seconds "." nanos) kind field(target) field(type) payload
 * kind    := "b" | "u" | "r" | "c" | "t"
 * </pre>
 *
 * The Lua publish script writes {@code field(id)} itself, as {@code #id .. ":" .. id}: ids are
 * ASCII, so Lua's byte length equals the length in UTF-16 units.
 */
final class EnvelopeWire {
  private static final char VERSION = '1';

  private EnvelopeWire() {}

  /** A decoded channel message: the envelope and the node that published it. */
  record Received(Envelope envelope, String origin) {}

  /** The body of {@code e} as published by {@code origin}, without its id. */
  static String body(Envelope e, String origin) {
    StringBuilder b = new StringBuilder(64 + e.payload().text().length());
    b.append(VERSION);
    field(b, origin);
    Instant ts = e.timestamp();
    field(b, ts.getEpochSecond() + "." + ts.getNano());
    Target t = e.target();
    if (t instanceof Target.Broadcast) {
      b.append('b');
      field(b, "");
    } else if (t instanceof Target.User u) {
      b.append('u');
      field(b, u.id().value());
    } else if (t instanceof Target.Role r) {
      b.append('r');
      field(b, r.name());
    } else if (t instanceof Target.Connection c) {
      b.append('c');
      field(b, c.id().value());
    } else if (t instanceof Target.Topic topic) {
      b.append('t');
      field(b, topic.name().value());
    } else {
      throw new AssertionError(t);
    }
    field(b, e.type());
    b.append(e.payload().text());
    return b.toString();
  }

  /** A whole channel message: id then body. */
  static String message(Envelope e, String origin) {
    StringBuilder b = new StringBuilder();
    field(b, e.id());
    return b.append(body(e, origin)).toString();
  }

  /** Decodes a channel message; throws {@link IllegalArgumentException} on a malformed one. */
  static Received decodeMessage(String text) {
    Reader r = new Reader(text);
    String id = r.field();
    return decodeBody(id, text, r.pos);
  }

  /** Decodes a stored body under the id its position gives. */
  static Received decodeBody(String id, String text) {
    return decodeBody(id, text, 0);
  }

  private static Received decodeBody(String id, String text, int start) {
    Reader r = new Reader(text);
    r.pos = start;
    if (r.pos >= text.length() || text.charAt(r.pos) != VERSION) {
      throw new IllegalArgumentException("unknown envelope version");
    }
    r.pos++;
    String origin = r.field();
    String ts = r.field();
    int dot = ts.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("bad timestamp");
    }
    Instant timestamp;
    try {
      timestamp = Instant.ofEpochSecond(Long.parseLong(ts, 0, dot, 10),
          Long.parseLong(ts, dot + 1, ts.length(), 10));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad timestamp", e);
    }
    if (r.pos >= text.length()) {
      throw new IllegalArgumentException("truncated");
    }
    char kind = text.charAt(r.pos++);
    String value = r.field();
    Target target = switch (kind) {
      case 'b' -> new Target.Broadcast();
      case 'u' -> new Target.User(new UserId(value));
      case 'r' -> new Target.Role(value);
      case 'c' -> new Target.Connection(new ConnectionId(value));
      case 't' -> new Target.Topic(new TopicName(value));
      default -> throw new IllegalArgumentException("unknown target kind " + kind);
    };
    String type = r.field();
    RawJson payload = new RawJson(text.substring(r.pos));
    return new Received(new Envelope(id, type, payload, timestamp, target), origin);
  }

  static void field(StringBuilder b, String value) {
    b.append(value.length()).append(':').append(value);
  }

  /** Reads length-prefixed fields. */
  static final class Reader {
    final String text;
    int pos;

    Reader(String text) {
      this.text = text;
    }

    String field() {
      int colon = text.indexOf(':', pos);
      if (colon <= pos || colon - pos > 9) {
        throw new IllegalArgumentException("bad field length at " + pos);
      }
      int len;
      try {
        len = Integer.parseInt(text, pos, colon, 10);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad field length at " + pos, e);
      }
      int end = colon + 1 + len;
      if (len < 0 || end > text.length()) {
        throw new IllegalArgumentException("field runs past the end");
      }
      pos = end;
      return text.substring(colon + 1, end);
    }
  }
}
