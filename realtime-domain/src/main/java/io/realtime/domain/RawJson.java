package io.realtime.domain;

import java.util.Objects;

/**
 * JSON text that an adapter has already validated, carried as-is so it is never re-parsed:
 * the codec splices it into each outgoing frame verbatim.
 */
public record RawJson(String text) {
  public static final RawJson EMPTY_OBJECT = new RawJson("{}");
  public static final RawJson NULL = new RawJson("null");

  public RawJson {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("raw JSON is blank");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
