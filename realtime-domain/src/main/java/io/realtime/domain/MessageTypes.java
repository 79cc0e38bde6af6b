package io.realtime.domain;

import java.util.Optional;
import java.util.Set;

/** Rules for the {@code type} of frames and application messages. */
public final class MessageTypes {
  public static final int MAX_LENGTH = 64;

  /** Types the protocol owns; applications may not send messages of these types. */
  public static final Set<String> RESERVED = Set.of(
      "welcome", "ack", "error", "pong", "ping", "presence",
      "subscribe", "unsubscribe", "publish", "refresh");

  private MessageTypes() {}

  public static boolean isReserved(String type) {
    return RESERVED.contains(type);
  }

  /** Why {@code type} may not be an application message type; empty when it may. */
  public static Optional<String> problem(String type) {
    if (type == null || type.isEmpty()) {
      return Optional.of("type is empty");
    }
    if (type.length() > MAX_LENGTH) {
      return Optional.of("type is longer than " + MAX_LENGTH + " characters");
    }
    if (isReserved(type)) {
      return Optional.of("type '" + type + "' is reserved by the protocol");
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '.' || c == ':' || c == '/';
      if (!ok) {
        return Optional.of("type may only contain letters, digits and _ - . : /");
      }
    }
    return Optional.empty();
  }
}
