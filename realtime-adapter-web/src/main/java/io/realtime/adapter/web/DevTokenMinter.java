package io.realtime.adapter.web;

/**
 * Mints tokens for {@code POST /dev/token} in dev mode (PROTOCOL.md section 7); the app
 * provides it over its ephemeral key. Thread-safe; must not block for long.
 */
@FunctionalInterface
public interface DevTokenMinter {
  /**
   * A signed token carrying the request's claims. May throw {@link IllegalArgumentException}
   * for claims it refuses; the caller answers 400 with its message.
   */
  String mint(DevTokenRequest request);
}
