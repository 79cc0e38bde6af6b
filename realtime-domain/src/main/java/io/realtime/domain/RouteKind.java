package io.realtime.domain;

import java.util.Optional;

/** The five kinds of routing target, with their wire names ({@code target.kind}). */
public enum RouteKind {
  /** Every connection. */
  BROADCAST("broadcast"),
  /** Every connection of one user. */
  USER("user"),
  /** Every connection whose token carries a role. */
  ROLE("role"),
  /** One connection. */
  CONNECTION("connection"),
  /** Every connection subscribed to a topic. */
  TOPIC("topic");

  private final String wire;

  RouteKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<RouteKind> fromWire(String text) {
    for (RouteKind kind : values()) {
      if (kind.wire.equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
