package io.realtime.adapter.web;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The allow-list of browser origins (PROTOCOL.md section 1), compared case-insensitively. */
final class Origins {
  private final Set<String> allowed;

  Origins(Set<String> allowed) {
    this.allowed = allowed.stream().map(Origins::normalize).filter(o -> !o.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether a request's {@code Origin} may connect ({@code ""}: no header, always allowed). */
  boolean allows(String origin) {
    if (origin.isEmpty() || allowed.isEmpty() || allowed.contains("*")) {
      return true;
    }
    return allowed.contains(normalize(origin));
  }

  /** Lower case without a trailing slash: {@code HTTPS://App.example.com/} matches too. */
  static String normalize(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    while (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    return o;
  }
}
