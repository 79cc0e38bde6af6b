package io.realtime.domain;

import java.util.Objects;

/** The user a connection belongs to: the token's {@code sub}. */
public record UserId(String value) {
  public UserId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("user id is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
