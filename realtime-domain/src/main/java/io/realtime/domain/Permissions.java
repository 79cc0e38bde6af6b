package io.realtime.domain;

/** Permission names the server itself checks in a token's {@code permissions} claim. */
public final class Permissions {
  /** May publish to allowed topics from a WebSocket. */
  public static final String PUBLISH = "realtime:publish";
  /** May use the server API with a JWT instead of the API key. */
  public static final String ADMIN = "realtime:admin";

  private Permissions() {}
}
