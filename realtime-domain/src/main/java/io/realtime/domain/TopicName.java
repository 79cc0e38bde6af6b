package io.realtime.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A topic clients subscribe to, such as {@code order:123} or {@code chat/room-1}.
 *
 * <p>1 to {@value #MAX_LENGTH} characters from letters, digits and {@code _ - : . @ / = +};
 * wildcards ({@code *}) and placeholders ({@code {sub}}) belong to patterns, never to names.
 */
public record TopicName(String value) {
  public static final int MAX_LENGTH = 200;

  public TopicName {
    Objects.requireNonNull(value, "value");
    problem(value).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
  }

  /** The name, or empty when {@code text} breaks a rule (see {@link #problem}). */
  public static Optional<TopicName> parse(String text) {
    return problem(text).isEmpty() ? Optional.of(new TopicName(text)) : Optional.empty();
  }

  /** Why {@code text} is not a topic name, in words a client can act on; empty when it is one. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.of("topic is empty");
    }
    if (text.length() > MAX_LENGTH) {
      return Optional.of("topic is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (!allowed(text.charAt(i))) {
        return Optional.of("topic may only contain letters, digits and _ - : . @ / = +");
      }
    }
    return Optional.empty();
  }

  static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-' || c == ':' || c == '.' || c == '@' || c == '/' || c == '='
        || c == '+';
  }

  @Override
  public String toString() {
    return value;
  }
}
