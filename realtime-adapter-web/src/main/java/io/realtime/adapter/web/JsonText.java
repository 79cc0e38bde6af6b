package io.realtime.adapter.web;

import java.util.Collection;

/** Hand-written JSON output: string quoting and small arrays. Stateless; thread-safe. */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, quotes included. */
  static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            unicode(out, c); // the two separators break JavaScript string literals
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
              out.append(c).append(value.charAt(++i));
            } else {
              unicode(out, c); // a lone surrogate has no UTF-8 form: keep it escaped
            }
          } else if (Character.isLowSurrogate(c)) {
            unicode(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  static String quote(String value) {
    return quote(new StringBuilder(value.length() + 2), value).toString();
  }

  /** Appends a JSON array of strings. */
  static StringBuilder array(StringBuilder out, Collection<String> values) {
    out.append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        out.append(',');
      }
      quote(out, v);
      first = false;
    }
    return out.append(']');
  }

  /** {@code {"error":"<code>","message":"<text>"}}: every refusal's body. */
  static String error(String code, String message) {
    StringBuilder out = new StringBuilder(32 + code.length() + message.length());
    out.append("{\"error\":");
    quote(out, code);
    out.append(",\"message\":");
    quote(out, message);
    return out.append('}').toString();
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
  }
}
