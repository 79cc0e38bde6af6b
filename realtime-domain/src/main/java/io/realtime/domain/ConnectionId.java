package io.realtime.domain;

import java.util.Objects;

/** Identifies one accepted WebSocket connection on any node. */
public record ConnectionId(String value) {
  public ConnectionId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("connection id is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
