package io.realtime.port.out;

import java.util.Objects;

/** What an application handler answers the client: {@code ack}, or {@code error}. */
public sealed interface HandlerResult {
  /** Answer {@code ack}. */
  record Ack() implements HandlerResult {}

  /** Answer {@code error} with the application's own code. */
  record Reject(String code, String message) implements HandlerResult {
    public Reject {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  static HandlerResult ack() {
    return new Ack();
  }

  static HandlerResult reject(String code, String message) {
    return new Reject(code, message);
  }
}
