package io.realtime.adapter.web;

import java.util.Locale;
import java.util.Set;

/** Masks credentials before anything reaches a log line. Stateless; thread-safe. */
public final class Redaction {
  /** What a masked value reads as. */
  public static final String MASK = "***";

  private static final Set<String> SECRET_PARAMETERS = Set.of("token", "access_token");

  private Redaction() {}

  /**
   * A raw query string with the values of {@code token} and {@code access_token} masked:
   * {@code a=1&token=eyJ...} becomes {@code a=1&token=***}. {@code null} gives {@code ""}.
   */
  public static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(rawQuery.length());
    String[] parts = rawQuery.split("&", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i > 0) {
        out.append('&');
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      if (eq >= 0 && SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        out.append(name).append('=').append(MASK);
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  /** A path and raw query as one loggable string: {@code /ws?token=***}. */
  public static String target(String path, String rawQuery) {
    String q = query(rawQuery);
    return q.isEmpty() ? path : path + "?" + q;
  }
}
