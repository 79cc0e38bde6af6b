package io.realtime.adapter.redis;

import io.realtime.domain.UserId;
import java.util.Objects;

/**
 * A change of who is present on a topic, as the presence scripts publish it on the topic's
 * channel beside its positioned messages (which start with a digit, so the two never mix):
 * {@code "P" ("j" | "l") field(origin) user}. The origin is the node that made the change,
 * empty for one a script found (an expired connection) or restored (a refresh re-adding an
 * entry): every node announces those. Node ids are ASCII, so Lua's byte length is the field's.
 *
 * @param joined true for a join (the user became present), false for a leave
 */
record PresenceChange(UserId user, boolean joined, String origin) {
  static final char MARK = 'P';

  PresenceChange {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(origin, "origin");
  }

  /** Whether a topic channel's message is a presence change. */
  static boolean is(String text) {
    return !text.isEmpty() && text.charAt(0) == MARK;
  }

  /** Decodes one; throws {@link IllegalArgumentException} on a malformed one. */
  static PresenceChange decode(String text) {
    if (!is(text) || text.length() < 2) {
      throw new IllegalArgumentException("not a presence change");
    }
    char kind = text.charAt(1);
    if (kind != 'j' && kind != 'l') {
      throw new IllegalArgumentException("unknown presence kind " + kind);
    }
    EnvelopeWire.Reader r = new EnvelopeWire.Reader(text);
    r.pos = 2;
    String origin = r.field();
    return new PresenceChange(new UserId(text.substring(r.pos)), kind == 'j', origin);
  }
}
