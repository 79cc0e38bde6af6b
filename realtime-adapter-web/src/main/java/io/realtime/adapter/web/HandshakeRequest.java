package io.realtime.adapter.web;

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
}
