package io.realtime.domain;

import java.util.Objects;

/**
 * A topic a user may subscribe to, from the token's {@code topics} claim.
 *
 * <p>{@code {sub}} stands for the user's own id ({@code user:{sub}}); a trailing {@code *}
 * matches any suffix, including none ({@code order:*}); a lone {@code *} matches every topic.
 * Anything else must equal the topic exactly.
 */
public record TopicPattern(String value) {
  public static final String SUBJECT = "{sub}";

  public TopicPattern {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("topic pattern is empty");
    }
    int star = value.indexOf('*');
    if (star >= 0 && star != value.length() - 1) {
      throw new IllegalArgumentException("'*' may only end a topic pattern: " + value);
    }
  }

  /** Whether {@code topic} is allowed to {@code user} by this pattern. */
  public boolean matches(TopicName topic, UserId user) {
    // the wildcard is read off the pattern before {sub} is filled in, so a user id that ends
    // in '*' stays plain text and can never widen what the pattern allows
    boolean prefix = value.endsWith("*");
    String fixed = prefix ? value.substring(0, value.length() - 1) : value;
    String resolved = fixed.contains(SUBJECT) ? fixed.replace(SUBJECT, user.value()) : fixed;
    String name = topic.value();
    return prefix ? name.startsWith(resolved) : name.equals(resolved);
  }

  @Override
  public String toString() {
    return value;
  }
}
