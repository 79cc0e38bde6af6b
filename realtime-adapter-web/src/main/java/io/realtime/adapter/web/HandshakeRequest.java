package io.realtime.adapter.web;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A WebSocket upgrade request as both transports see it, before any upgrade happens.
 *
 * @param path the request path, such as {@code /ws}
 * @param query the query parameters (exact names)
 * @param headers the request headers (case-insensitive names)
 * @param remoteAddress the peer's address, for metadata and logs; {@code ""} when unknown
 */
public record HandshakeRequest(
    String path, NamedValues query, NamedValues headers, String remoteAddress) {
  public HandshakeRequest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /**
   * Whether an HTTP/1.1 request is a whole RFC 6455 opening handshake, the only kind a
   * transport hands to its upgrade: a GET with {@code Upgrade: websocket},
   * {@code Connection: upgrade}, a {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Version:
   * 13}. Anything less is a plain request (on {@code /ws}, 400 {@code upgrade_required}), so
   * every transport answers it alike rather than in its own words.
   */
  public static boolean isWebSocketUpgrade(String method, NamedValues headers) {
    return "GET".equals(method)
        && hasToken(headers.all("Upgrade"), "websocket")
        && hasToken(headers.all("Connection"), "upgrade")
        && headers.first("Sec-WebSocket-Key").filter(k -> !k.isBlank()).isPresent()
        && headers.first("Sec-WebSocket-Version").map(String::strip).filter("13"::equals)
            .isPresent();
  }

  /** Whether a comma-separated header holds {@code token}, ignoring case. */
  private static boolean hasToken(List<String> values, String token) {
    for (String value : values) {
      for (String part : value.split(",")) {
        if (part.strip().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
